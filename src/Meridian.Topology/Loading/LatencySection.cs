using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary><c>latency: [ { network: CIDR, rtt: { region: ms } } ]</c></summary>
internal sealed class LatencySection : ITopologySection
{
    private static readonly string[] Keys = ["network", "rtt"];

    public string Key => "latency";

    public void Read(LoadContext ctx, YNode node, TopologyBuilder builder)
    {
        var entries = new List<LatencyEntry>();
        var items = YamlReader.AsList(ctx, node, Key);
        var regionNames = builder.Config.Regions.Select(r => r.Name).ToArray();
        var seen = new Dictionary<System.Net.IPNetwork, int>();
        for (var i = 0; i < items.Count; i++)
        {
            var path = LoadContext.Index(Key, i);
            if (YamlReader.AsMapping(ctx, items[i], path) is not { } m)
            {
                continue;
            }
            var map = new MapReader(ctx, m, path, Keys);
            var networkNode = map.Required("network");
            var network = networkNode is null ? null : CidrReader.Read(ctx, networkNode, map.PathOf("network"));
            if (network is { } net && networkNode is not null)
            {
                if (seen.TryGetValue(net, out var line))
                {
                    ctx.Error(networkNode, map.PathOf("network"), $"network {net} is already listed (line {line})");
                }
                seen.TryAdd(net, networkNode.Line);
            }
            var rtt = new Dictionary<string, int>(StringComparer.Ordinal);
            if (map.Required("rtt") is { } rttNode)
            {
                foreach (var region in NamedEntries.Read(ctx, rttNode, map.PathOf("rtt")))
                {
                    if (!regionNames.Contains(region.Name))
                    {
                        ctx.Error(region.KeyNode, region.Path, $"unknown region '{region.Name}'{Suggestions.Hint(region.Name, regionNames)}");
                        continue;
                    }
                    if (YamlReader.AsInt(ctx, region.Value, region.Path, 0, 100_000) is { } ms)
                    {
                        rtt[region.Name] = ms;
                    }
                }
            }
            if (map.Get("rtt") is YMapping { Entries.Count: 0 } emptyRtt)
            {
                ctx.Error(emptyRtt, map.PathOf("rtt"), "rtt needs at least one region");
            }
            if (network is { } ok)
            {
                entries.Add(new(ok, rtt, ctx.Where(m)));
            }
        }
        builder.Config = builder.Config with { Latency = new LatencyConfig(entries) };
    }
}
