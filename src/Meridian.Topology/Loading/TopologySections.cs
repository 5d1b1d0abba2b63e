namespace Meridian.Topology.Loading;

/// <summary>Every known section, in the order they are read: referenced sections before the ones referring to them.</summary>
internal static class TopologySections
{
    public static readonly IReadOnlyList<ITopologySection> All =
    [
        new RegionsSection(),
        new CheckersSection(),
        new HealthChecksSection(),
        new LatencySection(),
        new GeoSection(),
        new CidrCollectionsSection(),
        new DnsSection(),
        new ControlSection(),
        new ZonesSection(),
    ];

    public static readonly IReadOnlyCollection<string> Keys = All.Select(s => s.Key).ToArray();
}
