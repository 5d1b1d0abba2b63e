namespace Meridian.Topology.Model;

/// <summary>
/// The whole topology as declared in one YAML file. Immutable: a reload builds a new instance and swaps it in.
/// Later parts (load balancers, edge, storage, databases) add sections here.
/// </summary>
public sealed record TopologyConfig
{
    public required string SourceFile { get; init; }
    /// <summary>Regions in declaration order (the order is the documented latency tie-break).</summary>
    public IReadOnlyList<RegionConfig> Regions { get; init; } = [];
    public CheckersConfig Checkers { get; init; } = CheckersConfig.Default;
    /// <summary>Health checks in declaration order.</summary>
    public IReadOnlyList<HealthCheckConfig> HealthChecks { get; init; } = [];
    public LatencyConfig Latency { get; init; } = LatencyConfig.Empty;
    public GeoConfig Geo { get; init; } = GeoConfig.Empty;
    public IReadOnlyList<CidrCollectionConfig> CidrCollections { get; init; } = [];
    public DnsServerConfig Dns { get; init; } = DnsServerConfig.Default;
    public ControlConfig Control { get; init; } = ControlConfig.Default;
    public IReadOnlyList<ZoneConfig> Zones { get; init; } = [];
    public IReadOnlyList<LoadBalancerConfig> LoadBalancers { get; init; } = [];
    public EdgeConfig Edge { get; init; } = EdgeConfig.Empty;
    public DrillsConfig Drills { get; init; } = DrillsConfig.Empty;
    public StorageConfig Storage { get; init; } = StorageConfig.Empty;
    /// <summary>PostgreSQL clusters in declaration order.</summary>
    public IReadOnlyList<DatabaseClusterConfig> Databases { get; init; } = [];

    public RegionConfig? FindRegion(string name) => Regions.FirstOrDefault(r => r.Name == name);
    public HealthCheckConfig? FindHealthCheck(string name) => HealthChecks.FirstOrDefault(h => h.Name == name);
}
