using System.Net;

namespace Meridian.Topology.Model;

/// <summary>
/// Client network to per-region round-trip time (ms). The most specific matching network wins. When no entry
/// matches, regions rank in declaration order (the documented default).
/// </summary>
public sealed record LatencyConfig(IReadOnlyList<LatencyEntry> Entries)
{
    public static readonly LatencyConfig Empty = new([]);
}

public sealed record LatencyEntry(IPNetwork Network, IReadOnlyDictionary<string, int> RttMs, SourceLocation Location);
