using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Balancer;

/// <summary>
/// ALB request headers: the original Host is passed through, X-Forwarded-For gets the client address appended,
/// X-Forwarded-Proto/-Host/-Port describe the listener (client values are replaced, they cannot be trusted), and
/// the request id is always set.
/// </summary>
internal sealed class ForwardingTransformer : HttpTransformer
{
    public const string RequestIdItem = "meridian.request-id";

    private readonly Func<string> _requestIdHeader;

    public ForwardingTransformer(Func<string> requestIdHeader) => _requestIdHeader = requestIdHeader;

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        var request = httpContext.Request;
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
        Set(proxyRequest, "X-Forwarded-Port", httpContext.Connection.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set(proxyRequest, _requestIdHeader(), httpContext.Items[RequestIdItem] as string);
    }

    private static void Set(HttpRequestMessage request, string name, string? value)
    {
        request.Headers.Remove(name);
        if (value is not null)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }
}
