// yarp-floor LISTEN DESTINATION: the least a YARP proxy is. Every request goes through the stock IHttpForwarder with
// HttpTransformer.Default (no forwarded headers, no request id) and YARP's default request config, to DESTINATION over
// one SocketsHttpHandler. Kestrel and the socket engine are set up as Meridian's proxies are (inline scheduling when
// the runtime's inline completions are on, no Server header, no logging), so the bench's row for it shows what the
// stack itself costs per request against nginx, apart from anything Meridian adds.
using System.Net;
using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;

if (args.Length != 2 || !IPEndPoint.TryParse(args[0], out var listen) || !Uri.TryCreate(args[1], UriKind.Absolute, out var destination))
{
    Console.Error.WriteLine("usage: yarp-floor LISTEN_ADDRESS:PORT http://DESTINATION:PORT");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling =
    Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1");
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(listen);
});
builder.Services.AddHttpForwarder();

var app = builder.Build();
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
var invoker = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    UseCookies = false,
    AutomaticDecompression = DecompressionMethods.None,
    ActivityHeadersPropagator = null,
    ConnectTimeout = TimeSpan.FromSeconds(5),
    ConnectCallback = async (context, cancellationToken) =>
    {
        // As Meridian's connectors do: NoDelay, and a socket of the address's own family for a literal address.
        var socket = IPAddress.TryParse(context.DnsEndPoint.Host, out var address)
            ? new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    },
});
var prefix = destination.GetLeftPart(UriPartial.Authority);
// As YARP's MapForwarder does: await the forwarder; on an error it has already answered 502/504.
app.Run(async context =>
    await forwarder.SendAsync(context, prefix, invoker, ForwarderRequestConfig.Empty, HttpTransformer.Default).ConfigureAwait(false));
await app.RunAsync().ConfigureAwait(false);
return 0;
