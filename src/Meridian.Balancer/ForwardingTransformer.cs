using System.Globalization;
using Meridian.Forwarding;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Balancer;

/// <summary>
/// ALB request headers: the original Host is passed through, X-Forwarded-For gets the client address appended,
/// X-Forwarded-Proto/-Host/-Port describe the listener (client values are replaced, they cannot be trusted), and
/// the request id is always set. One per request: it carries the request id to the request headers and, as the
/// <c>OnStarting</c> state, to the response headers (one object instead of an Items dictionary, a closure and its
/// delegate per request).
/// </summary>
internal sealed class ForwardingTransformer : HttpTransformer
{
    // The listener's port as text, formatted once per port instead of once per request (10 ns and 32 B each time);
    // one reference, so it is read and replaced atomically.
    private static PortString? s_portText;

    private readonly HttpContext _context;
    private readonly DestinationUriCache _uris;

    public ForwardingTransformer(HttpContext context, string requestIdHeader, string requestId, DestinationUriCache uris)
    {
        _context = context;
        _uris = uris;
        RequestIdHeader = requestIdHeader;
        RequestId = requestId;
    }

    public string RequestIdHeader { get; }

    public string RequestId { get; }

    /// <summary>OnStarting callback: every response carries the id, the target's, a retry's or the balancer's own 5xx.</summary>
    public static readonly Func<object, Task> SetResponseId = static state =>
    {
        var transformer = (ForwardingTransformer)state;
        transformer._context.Response.Headers[transformer.RequestIdHeader] = transformer.RequestId;
        return Task.CompletedTask;
    };

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        var request = httpContext.Request;
        proxyRequest.RequestUri = _uris.Get(destinationPrefix, request.Path, request.QueryString);
        var host = request.Host.HasValue ? request.Host.Value : null;
        proxyRequest.Headers.Host = host;

        var client = httpContext.Connection.RemoteIpAddress;
        if (client is { IsIPv4MappedToIPv6: true })
        {
            client = client.MapToIPv4();
        }

        var forwardedFor = request.Headers["X-Forwarded-For"].ToString();
        if (client is not null)
        {
            var address = client.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{client}]" : client.ToString();
            forwardedFor = forwardedFor.Length == 0 ? address : $"{forwardedFor}, {address}";
        }

        Set(proxyRequest, "X-Forwarded-For", forwardedFor.Length == 0 ? null : forwardedFor);
        Set(proxyRequest, "X-Forwarded-Proto", request.Scheme);
        Set(proxyRequest, "X-Forwarded-Host", host);
        Set(proxyRequest, "X-Forwarded-Port", PortText(httpContext.Connection.LocalPort));
        Set(proxyRequest, RequestIdHeader, RequestId);
    }

    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var copy = base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (!copy.IsCompletedSuccessfully)
        {
            return AfterCopyAsync(copy, httpContext, proxyResponse);
        }

        var copied = copy.Result;
        if (copied)
        {
            FlushBeforeWaitContent.Wrap(httpContext, proxyResponse);
        }

        return ValueTask.FromResult(copied);
    }

    private static async ValueTask<bool> AfterCopyAsync(ValueTask<bool> copy, HttpContext httpContext, HttpResponseMessage? proxyResponse)
    {
        var copied = await copy.ConfigureAwait(false);
        if (copied)
        {
            FlushBeforeWaitContent.Wrap(httpContext, proxyResponse);
        }

        return copied;
    }

    private static string PortText(int port)
    {
        // A balancer has one listener: the cached text almost always matches.
        if (s_portText is { } cached && cached.Port == port)
        {
            return cached.Text;
        }

        var text = port.ToString(CultureInfo.InvariantCulture);
        s_portText = new PortString(port, text);
        return text;
    }

    private static void Set(HttpRequestMessage request, string name, string? value)
    {
        request.Headers.Remove(name);
        if (value is not null)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private sealed record PortString(int Port, string Text);
}
