namespace Meridian.Topology.Model;

/// <summary>A hosted zone. Names are absolute, lower case, with no trailing dot ("mydomain.test").</summary>
public sealed record ZoneConfig
{
    public required string Name { get; init; }
    public required SoaConfig Soa { get; init; }
    /// <summary>NS record values at the apex.</summary>
    public IReadOnlyList<string> NameServers { get; init; } = [];
    public uint DefaultTtl { get; init; } = 300;
    public AllUnhealthyBehavior WhenAllUnhealthy { get; init; } = AllUnhealthyBehavior.FailOpen;
    public IReadOnlyList<RecordConfig> Records { get; init; } = [];
    public SourceLocation Location { get; init; } = SourceLocation.None;
}

public sealed record SoaConfig(string PrimaryNs, string Hostmaster, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum, uint Ttl);
