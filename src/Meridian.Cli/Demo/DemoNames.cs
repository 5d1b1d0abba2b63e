using Meridian.Topology.Model;

namespace Meridian.Cli.Demo;

/// <summary>The names worth showing in the demo: app and cdn of the first zone, when they exist.</summary>
internal static class DemoNames
{
    public static IReadOnlyList<string> Of(TopologyConfig topology)
    {
        if (topology.Zones.Count == 0)
        {
            return [];
        }

        var zone = topology.Zones[0];
        return new[] { "app", "cdn" }
            .Select(n => $"{n}.{zone.Name}")
            .Where(n => zone.Records.Any(r => r.Name == n && r.Type == RecordType.A))
            .ToArray();
    }

    /// <summary>Clients to show answers for: each latency network (most specific first) and a local one.</summary>
    public static IReadOnlyList<(string Label, System.Net.IPNetwork? Client)> Clients(TopologyConfig topology) =>
        topology.Latency.Entries
            .Where(e => e.Network.PrefixLength > 0)
            .Select(e => ($"{e.Network} (nearest {e.RttMs.MinBy(r => r.Value).Key})", (System.Net.IPNetwork?)e.Network))
            .Append(("anywhere else", (System.Net.IPNetwork?)System.Net.IPNetwork.Parse("24.1.2.0/24")))
            .ToArray();
}
