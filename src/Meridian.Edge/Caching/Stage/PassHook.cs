using Meridian.Topology.Model;
using Microsoft.AspNetCore.Http;

namespace Meridian.Edge.Caching;

/// <summary>
/// The cache stage's pass (Varnish's hit-for-miss served as a pass): a GET or HEAD whose key is marked uncacheable
/// (<see cref="UncacheableMarkers"/>) and whose response would not be compressed goes to the origin as a plain forward:
/// no exchange, fill, tee, body swap or async step of the stage's own. The response is still judged as a miss's is:
/// a storable answer clears the mark (the next request is collapsed and stored again), an unstorable one renews it;
/// <c>X-Cache</c>, <c>Via</c> and <c>Vary</c> are set as on a miss. The origin request has the key's shape, as any.
/// </summary>
/// <remarks>
/// Why a path of its own: a pass (an API endpoint answering <c>no-store</c>, the tutorial's dynamic responses) went
/// through the whole fill machinery only to be told at the end that nothing is stored. Without the cache stage the
/// edge used 2.0 µs less CPU per proxied request (bench/http/ab.sh, 6 rounds: 20.2 vs 22.3 µs).
/// </remarks>
internal sealed class PassHook(
    DistributionConfig config,
    CacheBehaviorConfig behavior,
    CacheKeyResult key,
    CacheStore store,
    CacheBehaviorCounters counters,
    string location,
    string viaHop,
    TimeProvider time) : Http1.IDirectPassHook
{
    // Whether the rules would store this GET answer (below 500); applied to the mark only once the answer completed,
    // as the full path does.
    private bool? _storable;

    public string? OriginQuery => key.Origin.Query;

    public void OnRequest(HttpRequestMessage proxyRequest) => key.Origin.ApplyTo(proxyRequest);

    public ForwardedRequestShape Shape => key.Origin;

    public bool OnResponse(HttpContext http, HttpResponseMessage proxyResponse) => OnResponse(http, (int)proxyResponse.StatusCode);

    public bool OnResponse(HttpContext http, int status)
    {
        var headers = http.Response.Headers;
        var method = http.Request.Method;
        _storable = HttpMethods.IsGet(method) && status < 500
            ? TtlCalculator.Decide(behavior, method, status, headers, time.GetUtcNow(), config.ErrorCachingMinTtl).Store
            : null;

        if (behavior.Compress && CompressionPolicy.IsCompressible(status, headers))
        {
            // The identity variant of a response the edge compresses for other viewers.
            CompressionPolicy.AddVaryAcceptEncoding(headers);
        }

        headers["X-Cache"] = Revalidation.XCache(status >= 400 ? CacheOutcome.Error : CacheOutcome.Miss, location);
        CacheStage.AppendVia(headers, viaHop);
        return true;
    }

    /// <summary>
    /// Always called once the forward ends (an origin error included): a pass counts as a miss, as in the full path; a
    /// complete answer clears the mark when it could be stored and renews it when not.
    /// </summary>
    public void OnForwarded(long bodyBytes, bool completed)
    {
        counters.Miss();
        counters.FromOrigin(bodyBytes);
        if (completed)
        {
            store.Uncacheable.Remember(key.Key, _storable);
        }
    }
}
