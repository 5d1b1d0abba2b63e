using Meridian.Forwarding;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Edge;

/// <summary>
/// Per-attempt YARP transformer. Request: copies headers and sets X-Forwarded-For/Proto/Host and Via. Response: when
/// this attempt may still fail over and the status is a failover status, returns false so YARP copies neither the
/// headers nor the body (the failed response never reaches the client) and records the status for the forwarder.
/// </summary>
/// <param name="viaHop">This location's <c>Via</c> entry, <see cref="ViaHop"/> (formatted once per location).</param>
/// <param name="viewerHost">The viewer's Host (<see cref="EdgeRequestContext.ViewerHost"/>), for X-Forwarded-Host.</param>
/// <param name="uris">The origin's request URIs (<see cref="OriginRuntime.Uris"/>).</param>
/// <param name="hook">The cache stage's hook (<see cref="EdgeRequestContext.ExchangeHook"/>): the origin request's shape, and a look at the response.</param>
internal sealed class EdgeTransformer(string viaHop, string? viewerHost, IReadOnlySet<int>? suppressOn, DestinationUriCache uris,
    Caching.IOriginExchangeHook? hook = null) : HttpTransformer
{
    /// <summary>The <c>Via</c> entry of an edge location: "1.1 {location} (Meridian)".</summary>
    public static string ViaHop(string location) => $"1.1 {location} (Meridian)";

    /// <summary>The origin's response status, when it answered.</summary>
    public int? Status { get; private set; }

    /// <summary>True when the response was discarded to fail over.</summary>
    public bool Suppressed { get; private set; }

    /// <remarks>
    /// Not an async method: YARP's header copy completes synchronously, and then the edge's part does too, so a proxied
    /// request carries no state machine for it.
    /// </remarks>
    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        var copy = base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        if (!copy.IsCompletedSuccessfully)
        {
            return AfterRequestCopyAsync(copy, httpContext, proxyRequest, destinationPrefix);
        }

        copy.GetAwaiter().GetResult();
        AfterHeadersCopied(httpContext, proxyRequest, destinationPrefix);
        return default;
    }

    private async ValueTask AfterRequestCopyAsync(ValueTask copy, HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix)
    {
        await copy.ConfigureAwait(false);
        AfterHeadersCopied(httpContext, proxyRequest, destinationPrefix);
    }

    private void AfterHeadersCopied(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix)
    {
        // The cache stage's origin request shape (key components only) and revalidation validators.
        hook?.OnRequest(proxyRequest);
        var request = httpContext.Request;
        // The origin gets the cache key's query string, not the viewer's (what is not in the key is not forwarded).
        var query = hook?.OriginQuery is { } keyQuery ? (keyQuery.Length == 0 ? QueryString.Empty : new QueryString("?" + keyQuery)) : request.QueryString;
        proxyRequest.RequestUri = uris.Get(destinationPrefix, request.Path, query);
        var headers = proxyRequest.Headers;
        // As CloudFront by default: the origin sees its own host name; the viewer's is in X-Forwarded-Host.
        headers.Host = null;

        // Append to an existing chain, as CloudFront does: the origin sees every hop.
        var client = httpContext.Connection.RemoteIpAddress?.ToString();
        var forwardedFor = request.Headers["X-Forwarded-For"].ToString();
        headers.Remove("X-Forwarded-For");
        if (ExtendChain(forwardedFor, client) is { } chain)
        {
            headers.TryAddWithoutValidation("X-Forwarded-For", chain);
        }

        headers.Remove("X-Forwarded-Proto");
        headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        headers.Remove("X-Forwarded-Host");
        if (!string.IsNullOrEmpty(viewerHost))
        {
            headers.TryAddWithoutValidation("X-Forwarded-Host", viewerHost);
        }

        var via = request.Headers.Via.ToString();
        headers.Remove("Via");
        headers.TryAddWithoutValidation("Via", ExtendChain(via, viaHop));
    }

    /// <summary>
    /// A hop-list header (X-Forwarded-For, Via) with <paramref name="hop"/> appended to the viewer's <paramref name="chain"/>,
    /// as CloudFront appends: the origin sees every hop. Null when both are empty. Shared with the direct HTTP/1.1 path.
    /// </summary>
    public static string? ExtendChain(string? chain, string? hop) =>
        string.IsNullOrEmpty(chain) ? (string.IsNullOrEmpty(hop) ? null : hop) : string.IsNullOrEmpty(hop) ? chain : $"{chain}, {hop}";

    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        if (proxyResponse is not null)
        {
            Status = (int)proxyResponse.StatusCode;
            if (suppressOn is not null && suppressOn.Contains(Status.Value))
            {
                Suppressed = true;
                return ValueTask.FromResult(false);
            }
        }

        var copy = base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        return copy.IsCompletedSuccessfully
            ? ValueTask.FromResult(AfterCopy(copy.Result, httpContext, proxyResponse))
            : AfterCopyAsync(copy, httpContext, proxyResponse);
    }

    private async ValueTask<bool> AfterCopyAsync(ValueTask<bool> copy, HttpContext httpContext, HttpResponseMessage? proxyResponse) =>
        AfterCopy(await copy.ConfigureAwait(false), httpContext, proxyResponse);

    private bool AfterCopy(bool copied, HttpContext httpContext, HttpResponseMessage? proxyResponse)
    {
        // The cache stage decides storability (or suppresses a 304 / an error it answers from cache) once headers are copied.
        if (copied && proxyResponse is not null && hook is not null)
        {
            copied = hook.OnResponse(httpContext, proxyResponse);
        }

        if (copied)
        {
            FlushBeforeWaitContent.Wrap(httpContext, proxyResponse);
        }

        return copied;
    }
}
