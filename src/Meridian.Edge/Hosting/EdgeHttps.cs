using System.Security.Authentication;
using Microsoft.AspNetCore.Hosting;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Meridian.Edge;

/// <summary>HTTPS listener options: TLS 1.2+, HTTP/1.1 and HTTP/2, server certificate by SNI.</summary>
internal static class EdgeHttps
{
    public static void Configure(ListenOptions listen, Func<string?, X509Certificate2?>? certificates)
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ServerCertificateSelector = (_, name) => certificates?.Invoke(name),
        });
    }
}
