using Microsoft.AspNetCore.Http;

namespace Meridian.Edge.Caching;

/// <summary>
/// A behaviour with caching disabled (CloudFront's CachingDisabled policy): every request goes to the origin, nothing is
/// looked up, collapsed or stored, and no key is formatted. The origin request still has the key settings' shape (they
/// say what is forwarded), and the response says <c>X-Cache: Miss</c> (or <c>Error</c>) and carries the edge's
/// <c>Via</c>, as CloudFront's does. Holds no per-request state, so requests of a common shape share one.
/// </summary>
/// <remarks>
/// Why it exists beside <see cref="PassHook"/>: an API path that never stores anything still paid for a key, a
/// hit-for-miss lookup and a storability decision on every request: 0.9–1.5 µs of user CPU per request (2026-11-26,
/// bench/http topology, edge → app, wrk 64 connections).
/// </remarks>
internal sealed class UncachedHook(ForwardedRequestShape shape, UncachedLocation location) : Http1.IDirectPassHook
{
    public string? OriginQuery => shape.Query;

    public void OnRequest(HttpRequestMessage proxyRequest) => shape.ApplyTo(proxyRequest);

    public ForwardedRequestShape Shape => shape;

    public bool OnResponse(HttpContext http, HttpResponseMessage proxyResponse) => OnResponse(http, (int)proxyResponse.StatusCode);

    public bool OnResponse(HttpContext http, int status)
    {
        var headers = http.Response.Headers;
        headers["X-Cache"] = status >= 400 ? location.XCacheError : location.XCacheMiss;
        CacheStage.AppendVia(headers, location.ViaHop);
        return true;
    }

    public void OnForwarded(long bodyBytes, bool completed) => location.Counters.FromOrigin(bodyBytes);
}
