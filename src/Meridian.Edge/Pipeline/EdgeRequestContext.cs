using Microsoft.AspNetCore.Http;

namespace Meridian.Edge;

/// <summary>One request matched to a distribution at a location, as it flows through the edge pipeline.</summary>
internal sealed class EdgeRequestContext(HttpContext http, string location, DistributionRuntime distribution, LocationCounters counters)
{
    public HttpContext Http { get; } = http;

    public string Location { get; } = location;

    /// <summary>This location's <c>Via</c> entry (<see cref="EdgeTransformer.ViaHop"/>); formatted per request when not given.</summary>
    public string ViaHop { get; init; } = EdgeTransformer.ViaHop(location);

    public DistributionRuntime Distribution { get; } = distribution;

    /// <summary>Where the forwarder sends this request: the matched cache behaviour's target (the cache stage sets it),
    /// else the distribution's default target.</summary>
    public OriginGroupRuntime Target { get; set; } = distribution.Target;

    public LocationCounters Counters { get; } = counters;

    /// <summary>The origin whose response is being sent (the <c>X-Edge-Origin</c> header); null when none (e.g. a cache hit).</summary>
    public string? Origin { get; set; }

    /// <summary>The viewer's Host header value (null when absent), parsed once per request.</summary>
    public string? ViewerHost { get; init; }

    /// <summary>The behaviour and cache key the hit path already worked out, when it did.</summary>
    public Caching.CacheKeyHint? KeyHint { get; init; }

    /// <summary>The cache stage's hook into the origin exchange, for the forwarder's transformer (null: plain forwarding).</summary>
    public Caching.IOriginExchangeHook? ExchangeHook { get; set; }
}
