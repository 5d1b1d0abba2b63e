using System.Net;
using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>
/// <c>edge: { cache: { memory, disk, disk_size }, locations: { name: { region?, listen: [ip:port], https: [ip:port] } },
/// distributions: { name: { aliases, locations, origins, origin_groups, target, behaviors, error_caching,
/// certificates } } }</c> — the CloudFront part. Read after <c>load_balancers</c> so listeners clashing with a
/// balancer's are reported.
/// </summary>
internal sealed class EdgeSection : ITopologySection
{
    private static readonly string[] Keys = ["cache", "locations", "distributions"];
    private static readonly string[] CacheKeys = ["memory", "disk", "disk_size"];
    private static readonly string[] LocationKeys = ["region", "listen", "https"];
    private static readonly string[] DistributionKeys =
        ["aliases", "locations", "origins", "origin_groups", "target", "behaviors", "error_caching", "certificates"];

    /// <summary>Smallest memory (and disk) tier: 1 MB.</summary>
    private const long MinCacheBytes = ByteSizes.MB;

    public string Key => "edge";

    public void Read(LoadContext ctx, YNode node, TopologyBuilder builder)
    {
        if (YamlReader.AsMapping(ctx, node, Key) is not { } m)
        {
            return;
        }
        var map = new MapReader(ctx, m, Key, Keys);
        var cache = map.Map("cache", CacheKeys) is { } c ? ReadCache(c) ?? EdgeCacheConfig.Default : EdgeCacheConfig.Default;
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
                    && DistributionReader.Read(new MapReader(ctx, dm, entry.Path, DistributionKeys), entry, locationNames, aliases, edgeListeners, locations) is { } d)
                {
                    distributions.Add(d);
                }
            }
        }
        builder.Listeners.AddRange(claims.Where(c => c.Field.StartsWith(Key + ".", StringComparison.Ordinal)));
        builder.Config = builder.Config with { Edge = new EdgeConfig(locations, distributions) { Cache = cache } };
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
        if (map.List("listen").Count == 0)
        {
            ctx.Error(map["listen"] ?? map.Node, map.PathOf("listen"), "an edge location needs at least one listen endpoint (ip:port)");
            ok = false;
        }
        var listen = ReadEndpoints(map, "listen", claims, ref ok);
        var https = ReadEndpoints(map, "https", claims, ref ok);
        return ok ? new EdgeLocationConfig(entry.Name, region, listen, ctx.Where(entry.KeyNode)) { HttpsListen = https } : null;
    }

    /// <summary>The <c>ip:port</c> list under <paramref name="key"/>, each claimed against every other listener.</summary>
    private static List<IPEndPoint> ReadEndpoints(MapReader map, string key, List<ListenClaim> claims, ref bool ok)
    {
        var ctx = map.Context;
        var result = new List<IPEndPoint>();
        var items = map.List(key);
        for (var i = 0; i < items.Count; i++)
        {
            var path = map.Get(key) is YSequence ? LoadContext.Index(map.PathOf(key), i) : map.PathOf(key);
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
            result.Add(endpoint);
        }
        return result;
    }

    /// <summary>
    /// <c>cache: { memory: 256MB, disk: ./data/edge-cache, disk_size: 2GB }</c>: sizes per <see cref="ByteSizes"/>
    /// (1KB = 1024 bytes), each at least 1MB; the disk folder is relative to the topology file and needs a size.
    /// </summary>
    private static EdgeCacheConfig? ReadCache(MapReader map)
    {
        var ctx = map.Context;
        var errors = ctx.Errors.Count;
        var defaults = EdgeCacheConfig.Default;
        var memory = map.ByteSize("memory", MinCacheBytes);
        var diskSize = map.ByteSize("disk_size", MinCacheBytes);
        string? disk = null;
        if (map.String("disk") is { } raw)
        {
            try
            {
                disk = raw.Trim().Length == 0 ? null : Path.GetFullPath(raw, ctx.BaseDirectory);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
            {
                disk = null;
            }
            if (disk is null)
            {
                ctx.Error(map.Get("disk")!, map.PathOf("disk"), $"invalid path '{raw}'");
            }
            else if (File.Exists(disk))
            {
                ctx.Error(map.Get("disk")!, map.PathOf("disk"), $"expected a folder for the disk cache, found the file {disk}");
            }
            else if (map.Get("disk_size") is null)
            {
                ctx.Error(map.Get("disk")!, map.PathOf("disk"), "a disk cache needs disk_size (e.g. 2GB)");
            }
        }
        else if (map.Get("disk_size") is { } sizeNode && map.Get("disk") is null)
        {
            ctx.Error(sizeNode, map.PathOf("disk_size"), "disk_size needs disk (the cache folder)");
        }
        if (ctx.Errors.Count != errors)
        {
            return null;
        }
        return defaults with { MemoryBytes = memory ?? defaults.MemoryBytes, DiskPath = disk, DiskBytes = disk is null ? 0 : diskSize ?? 0 };
    }
}
