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
        new LoadBalancersSection(), // after dns and control: listeners must not clash
        new EdgeSection(), // after load_balancers (listen clashes), before zones (records may point at the edge)
        new StorageSection(), // after edge (listen clashes)
        new DrillsSection(),
        new DatabasesSection(), // after load_balancers and edge: listen clashes
        new ZonesSection(),
    ];

    public static readonly IReadOnlyCollection<string> Keys = All.Select(s => s.Key).ToArray();
}
