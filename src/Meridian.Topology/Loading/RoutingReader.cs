using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>
/// <c>routing:</c> omitted (simple) or a mapping with exactly one policy: simple, failover, latency, weighted,
/// geolocation, ip, multivalue.
/// </summary>
internal static class RoutingReader
{
    private static readonly string[] Keys = ["simple", "failover", "latency", "weighted", "geolocation", "ip", "multivalue"];

    private static readonly Dictionary<string, FailoverRole> Roles = new()
    {
        ["primary"] = FailoverRole.Primary,
        ["secondary"] = FailoverRole.Secondary,
    };

    /// <summary>Null when the routing is invalid (errors reported).</summary>
    public static RoutingPolicy? Read(LoadContext ctx, YNode node, string path, TopologyConfig config)
    {
        if (YamlReader.AsMapping(ctx, node, path) is not { } m)
        {
            return null;
        }
        var map = new MapReader(ctx, m, path, Keys);
        var present = Keys.Where(k => map[k] is not null).ToList();
        if (present.Count == 0 && m.Entries.Count > 0)
        {
            return null; // only unknown keys: already reported, with a suggestion
        }
        if (present.Count != 1)
        {
            ctx.Error(m, path, present.Count == 0
                ? $"routing needs one policy: {string.Join(", ", Keys)}"
                : $"routing has {present.Count} policies ({string.Join(", ", present)}); a record has exactly one");
            return null;
        }
        var kind = present[0];
        var value = map[kind]!;
        var valuePath = map.PathOf(kind);
        switch (kind)
        {
            case "simple":
                return ExpectTrue(ctx, value, valuePath) ? RoutingPolicy.Simple.Instance : null;
            case "multivalue":
                return ExpectTrue(ctx, value, valuePath) ? RoutingPolicy.Multivalue.Instance : null;
            case "failover":
                return YamlReader.AsEnum(ctx, value, valuePath, Roles) is { } role ? new RoutingPolicy.Failover(role) : null;
            case "weighted":
                return YamlReader.AsInt(ctx, value, valuePath, 0, 255) is { } weight ? new RoutingPolicy.Weighted(weight) : null;
            case "latency":
                return ReadLatency(ctx, value, valuePath, config);
            case "geolocation":
                return ReadGeolocation(ctx, value, valuePath);
            default:
                return ReadIp(ctx, value, valuePath, config);
        }
    }

    private static bool ExpectTrue(LoadContext ctx, YNode node, string path)
    {
        if (YamlReader.AsBool(ctx, node, path) is not { } b)
        {
            return false;
        }
        if (!b)
        {
            ctx.Error(node, path, "only 'true' is meaningful here; omit routing for simple records");
        }
        return b;
    }

    private static RoutingPolicy? ReadLatency(LoadContext ctx, YNode node, string path, TopologyConfig config)
    {
        if (YamlReader.AsString(ctx, node, path) is not { } region)
        {
            return null;
        }
        if (config.FindRegion(region) is null)
        {
            var names = config.Regions.Select(r => r.Name).ToArray();
            ctx.Error(node, path, $"unknown region '{region}'{Suggestions.Hint(region, names)}");
            return null;
        }
        return new RoutingPolicy.Latency(region);
    }

    private static RoutingPolicy? ReadGeolocation(LoadContext ctx, YNode node, string path)
    {
        if (node is YScalar { Value: "default" or "*" })
        {
            return new RoutingPolicy.Geolocation(null, null, null);
        }
        if (node is not YMapping m)
        {
            ctx.Error(node, path, $"expected default or {{ continent | country, subdivision? }}, found {node.Describe}");
            return null;
        }
        var map = new MapReader(ctx, m, path, ["continent", "country", "subdivision"]);
        var (continent, country, subdivision) = GeoFields.Read(map);
        if (map.Get("continent") is not null && map.Get("country") is not null)
        {
            ctx.Error(m, path, "give either a continent or a country, not both");
            return null;
        }
        if (map.Get("continent") is null && map.Get("country") is null)
        {
            ctx.Error(m, path, "geolocation needs a continent or a country (or 'default')");
            return null;
        }
        if (continent is null && country is null)
        {
            return null;
        }
        return new RoutingPolicy.Geolocation(continent, country, subdivision);
    }

    private static RoutingPolicy? ReadIp(LoadContext ctx, YNode node, string path, TopologyConfig config)
    {
        if (YamlReader.AsMapping(ctx, node, path) is not { } m)
        {
            return null;
        }
        var map = new MapReader(ctx, m, path, ["collection", "location"]);
        var name = map.RequiredString("collection");
        var location = map.RequiredString("location");
        if (name is null || location is null)
        {
            return null;
        }
        var collection = config.CidrCollections.FirstOrDefault(c => c.Name == name);
        if (collection is null)
        {
            ctx.Error(map.Get("collection")!, map.PathOf("collection"),
                $"unknown CIDR collection '{name}'{Suggestions.Hint(name, config.CidrCollections.Select(c => c.Name))}");
            return null;
        }
        if (location != "*" && collection.Locations.All(l => l.Name != location))
        {
            ctx.Error(map.Get("location")!, map.PathOf("location"),
                $"collection '{name}' has no location '{location}'{Suggestions.Hint(location, collection.Locations.Select(l => l.Name))}");
            return null;
        }
        return new RoutingPolicy.IpBased(name, location);
    }
}
