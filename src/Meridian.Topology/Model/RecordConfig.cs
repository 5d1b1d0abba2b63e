namespace Meridian.Topology.Model;

public enum RecordType : ushort
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    MX = 15,
    TXT = 16,
    AAAA = 28,
    SRV = 33,
    CAA = 257,
}

/// <summary>
/// One record (Route53: one resource record set with a set identifier). Either <see cref="Values"/> (presentation
/// format, one per value: "10 mail.example.test." for MX) or <see cref="Alias"/> is set.
/// Names are absolute, lower case, without trailing dot.
/// </summary>
public sealed record RecordConfig
{
    public required string Name { get; init; }
    public required RecordType Type { get; init; }
    public uint Ttl { get; init; }
    public string? SetId { get; init; }
    public RoutingPolicy Routing { get; init; } = RoutingPolicy.Simple.Instance;
    public IReadOnlyList<string> Values { get; init; } = [];
    public AliasConfig? Alias { get; init; }
    public string? HealthCheck { get; init; }
    /// <summary>Overrides the zone's behaviour when every record of this set is unhealthy.</summary>
    public AllUnhealthyBehavior? WhenAllUnhealthy { get; init; }
    public SourceLocation Location { get; init; } = SourceLocation.None;
}

/// <summary>An alias to another record set in the zone (same type); with evaluation of the target's health.</summary>
public sealed record AliasConfig(string Target, bool EvaluateTargetHealth);

public enum AllUnhealthyKind
{
    /// <summary>Answer as if all were healthy (Route53).</summary>
    FailOpen,
    /// <summary>Answer with no records (NODATA).</summary>
    FailClosed,
    /// <summary>Answer with fixed fallback values.</summary>
    Fallback,
}

public sealed record AllUnhealthyBehavior(AllUnhealthyKind Kind, IReadOnlyList<string> FallbackValues)
{
    public static readonly AllUnhealthyBehavior FailOpen = new(AllUnhealthyKind.FailOpen, []);
    public static readonly AllUnhealthyBehavior FailClosed = new(AllUnhealthyKind.FailClosed, []);
}
