using Meridian.Topology.Model;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary><c>checkers: { locations, healthy_fraction, unknown_is }</c></summary>
internal sealed class CheckersSection : ITopologySection
{
    private static readonly string[] Keys = ["locations", "healthy_fraction", "unknown_is"];

    private static readonly Dictionary<string, UnknownHealthPolicy> UnknownNames = new()
    {
        ["healthy"] = UnknownHealthPolicy.Healthy,
        ["unhealthy"] = UnknownHealthPolicy.Unhealthy,
    };

    public string Key => "checkers";

    public void Read(LoadContext ctx, YNode node, TopologyBuilder builder)
    {
        if (YamlReader.AsMapping(ctx, node, Key) is not { } m)
        {
            return;
        }
        var map = new MapReader(ctx, m, Key, Keys);
        var defaults = CheckersConfig.Default;
        var locations = new List<string>();
        var items = map.List("locations");
        for (var i = 0; i < items.Count; i++)
        {
            var path = LoadContext.Index(map.PathOf("locations"), i);
            if (YamlReader.AsString(ctx, items[i], path) is not { } name)
            {
                continue;
            }
            if (locations.Contains(name))
            {
                ctx.Error(items[i], path, $"duplicate location '{name}'");
                continue;
            }
            locations.Add(name);
        }
        if (map.Get("locations") is { } listNode && locations.Count == 0 && items.Count == 0)
        {
            ctx.Error(listNode, map.PathOf("locations"), "at least one checker location is required");
        }
        builder.Config = builder.Config with
        {
            Checkers = new CheckersConfig(
                locations.Count > 0 ? locations : defaults.Locations,
                map.Double("healthy_fraction", 0, 1) ?? defaults.HealthyFraction,
                map.Enum("unknown_is", UnknownNames) ?? defaults.UnknownIs),
        };
    }
}
