using System.Net;
using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>
/// <c>edge: { locations: { name: { region?, listen: [ip:port] } }, distributions: { name: { aliases, locations,
/// origins, origin_groups, target } } }</c> — the CloudFront part. Read after <c>load_balancers</c> so listeners
/// clashing with a balancer's are reported.
/// </summary>
internal sealed class EdgeSection : ITopologySection
{
    private static readonly string[] Keys = ["locations", "distributions"];
    private static readonly string[] LocationKeys = ["region", "listen"];
    private static readonly string[] DistributionKeys = ["aliases", "locations", "origins", "origin_groups", "target"];

    public string Key => "edge";

    public void Read(LoadContext ctx, YNode node, TopologyBuilder builder)
    {
        if (YamlReader.AsMapping(ctx, node, Key) is not { } m)
        {
            return;
        }
        var map = new MapReader(ctx, m, Key, Keys);
        var claims = ListenClaims.Existing(builder);
        var locations = new List<EdgeLocationConfig>();
        var locationNames = new List<string>();
        if (map.Get("locations") is { } locationsNode)
        {
            foreach (var entry in NamedEntries.Read(ctx, locationsNode, map.PathOf("locations")))
            {
                locationNames.Add(entry.Name); // even when invalid, so distributions naming it do not cascade
                if (YamlReader.AsMapping(ctx, entry.Value, entry.Path) is { } lm
                    && ReadLocation(new MapReader(ctx, lm, entry.Path, LocationKeys), entry, builder.Config, claims) is { } location)
                {
                    locations.Add(location);
                }
            }
        }
        var edgeListeners = claims.Where(c => c.Field.StartsWith(Key + ".", StringComparison.Ordinal)).ToList();
        var distributions = new List<DistributionConfig>();
        var aliases = new Dictionary<string, (string Path, YNode Node)>(StringComparer.Ordinal);
        if (map.Get("distributions") is { } distributionsNode)
        {
            foreach (var entry in NamedEntries.Read(ctx, distributionsNode, map.PathOf("distributions")))
            {
                if (YamlReader.AsMapping(ctx, entry.Value, entry.Path) is { } dm
                    && DistributionReader.Read(new MapReader(ctx, dm, entry.Path, DistributionKeys), entry, locationNames, aliases, edgeListeners) is { } d)
                {
                    distributions.Add(d);
                }
            }
        }
        builder.Listeners.AddRange(claims.Where(c => c.Field.StartsWith(Key + ".", StringComparison.Ordinal)));
        builder.Config = builder.Config with { Edge = new EdgeConfig(locations, distributions) };
    }

    private static EdgeLocationConfig? ReadLocation(MapReader map, NamedEntry entry, TopologyConfig config, List<ListenClaim> claims)
    {
        var ctx = map.Context;
        var ok = true;
        var region = map.String("region");
        if (region is not null && config.FindRegion(region) is null)
        {
            var names = config.Regions.Select(r => r.Name).ToList();
            ctx.Error(map.Get("region")!, map.PathOf("region"),
                $"unknown region '{region}'{(names.Count == 0 ? "; no regions are declared" : Suggestions.Hint(region, names))}");
            ok = false;
        }
        var listen = new List<IPEndPoint>();
        var items = map.List("listen");
        if (items.Count == 0)
        {
            ctx.Error(map["listen"] ?? map.Node, map.PathOf("listen"), "an edge location needs at least one listen endpoint (ip:port)");
            ok = false;
        }
        for (var i = 0; i < items.Count; i++)
        {
            var path = map.Get("listen") is YSequence ? LoadContext.Index(map.PathOf("listen"), i) : map.PathOf("listen");
            if (YamlReader.AsString(ctx, items[i], path) is not { } text)
            {
                ok = false;
                continue;
            }
            if (Addresses.TryParseEndpoint(text.Trim(), out var endpoint) is { } error)
            {
                ctx.Error(items[i], path, error);
                ok = false;
                continue;
            }
            ok &= ListenClaims.TryClaim(ctx, claims, endpoint, items[i], path);
            listen.Add(endpoint);
        }
        return ok ? new EdgeLocationConfig(entry.Name, region, listen, ctx.Where(entry.KeyNode)) : null;
    }
}
