using Meridian.Topology.Model;

namespace Meridian.Dns.Zones;

public enum PolicyKind
{
    Simple,
    Failover,
    Latency,
    Weighted,
    Geolocation,
    IpBased,
    Multivalue,
}

/// <summary>All records of one name and type: the policy node a query evaluates.</summary>
internal sealed class RecordSetNode
{
    public required NameNode Owner { get; init; }

    public required RecordType Type { get; init; }

    public required PolicyKind Kind { get; init; }

    public required CompiledRecord[] Records { get; init; }

    public required AllUnhealthyBehavior WhenAllUnhealthy { get; init; }

    /// <summary>Encoded fallback values for <see cref="AllUnhealthyKind.Fallback"/>.</summary>
    public byte[][] FallbackRdata { get; init; } = [];

    /// <summary>TTL used for fallback answers: the lowest TTL in the set.</summary>
    public uint FallbackTtl => Records.Length == 0 ? 60 : Records.Min(r => r.Ttl);

    public override string ToString() => $"{Owner.Name} {Type} ({Kind})";
}
