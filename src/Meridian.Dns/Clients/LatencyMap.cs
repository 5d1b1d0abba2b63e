using Meridian.Topology.Model;

namespace Meridian.Dns.Clients;

/// <summary>
/// Client network → round-trip time per region. The most specific network wins; a client that matches no entry
/// ranks regions in declaration order (the documented default), so the answer is still deterministic.
/// </summary>
public sealed class LatencyMap
{
    private readonly PrefixTable<int[]> _table;
    private readonly int[] _declarationOrder;

    public LatencyMap(TopologyConfig topology)
    {
        RegionNames = topology.Regions.Select(r => r.Name).ToArray();
        _declarationOrder = Enumerable.Range(0, RegionNames.Count).ToArray();
        _table = new PrefixTable<int[]>(topology.Latency.Entries.Select(e =>
            (NetworkPrefix.FromIPNetwork(e.Network), RegionNames.Select(r => e.RttMs.TryGetValue(r, out var ms) ? ms : int.MaxValue).ToArray())));
    }

    public IReadOnlyList<string> RegionNames { get; }

    public int RegionIndex(string region)
    {
        for (var i = 0; i < RegionNames.Count; i++)
        {
            if (RegionNames[i] == region)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Round-trip times (ms) by region index for this client, or declaration ranks when nothing matches.</summary>
    public int[] RttFor(ref ClientInfo client, out bool measured)
    {
        if (_table.TryMatch(client.Address.Bits, out var rtts, out _, out var scope))
        {
            client.DependOn(scope);
            measured = true;
            return rtts;
        }

        client.DependOn(scope);
        measured = false;
        return _declarationOrder;
    }
}
