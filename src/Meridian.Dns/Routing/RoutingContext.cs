using Meridian.Dns.Clients;

namespace Meridian.Dns.Routing;

/// <summary>What policies need to know about clients: latency, location and CIDR collections.</summary>
internal sealed class RoutingContext(LatencyMap latency, GeoLocator geo, CidrCollectionIndex cidr)
{
    public LatencyMap Latency { get; } = latency;

    public GeoLocator Geo { get; } = geo;

    public CidrCollectionIndex Cidr { get; } = cidr;
}
