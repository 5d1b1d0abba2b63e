using Meridian.Dns.Routing;
using Meridian.Topology.Model;

namespace Meridian.Dns.Zones;

/// <summary>
/// Everything the answer path needs, compiled from one topology. Immutable once built; a reload compiles a new
/// snapshot and swaps one reference, so queries in flight finish on the old one and none is dropped.
/// </summary>
internal sealed class ZoneSnapshot
{
    private readonly Dictionary<string, NameNode>.AlternateLookup<ReadOnlySpan<char>> _namesBySpan;
    private readonly Dictionary<string, CompiledZone>.AlternateLookup<ReadOnlySpan<char>> _zonesBySpan;

    public ZoneSnapshot(TopologyConfig topology, Dictionary<string, NameNode> names, Dictionary<string, CompiledZone> zones, RoutingContext routing)
    {
        Topology = topology;
        Names = names;
        Zones = zones;
        Routing = routing;
        Evaluator = new PolicyEvaluator(routing);
        _namesBySpan = names.GetAlternateLookup<ReadOnlySpan<char>>();
        _zonesBySpan = zones.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public TopologyConfig Topology { get; }

    public IReadOnlyDictionary<string, NameNode> Names { get; }

    public IReadOnlyDictionary<string, CompiledZone> Zones { get; }

    public RoutingContext Routing { get; }

    public PolicyEvaluator Evaluator { get; }

    /// <summary>Looks up a lower-case name without trailing dot, without allocating.</summary>
    public NameNode? FindName(ReadOnlySpan<char> name) => _namesBySpan.TryGetValue(name, out var node) ? node : null;

    /// <summary>The closest enclosing zone of a name, or null when we are not authoritative for it.</summary>
    public CompiledZone? FindZone(ReadOnlySpan<char> name)
    {
        while (true)
        {
            if (_zonesBySpan.TryGetValue(name, out var zone))
            {
                return zone;
            }

            var dot = name.IndexOf('.');
            if (dot < 0)
            {
                return null;
            }

            name = name[(dot + 1)..];
        }
    }
}
