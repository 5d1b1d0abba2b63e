using System.Net;
using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>
/// One entry of <c>edge.distributions</c>: aliases, locations, origins, origin groups, the target, and the caching
/// part (behaviors, error_caching, certificates; see <see cref="CacheBehaviorReader"/>, <see cref="CertificateReader"/>).
/// </summary>
internal static class DistributionReader
{
    private static readonly string[] OriginKeys = ["url", "connection_timeout", "connection_attempts", "response_timeout", "probe"];
    private static readonly string[] ProbeKeys = ["enabled", "path", "interval", "timeout", "healthy_threshold", "unhealthy_threshold"];
    private static readonly string[] GroupKeys = ["members", "failover_on"];

    /// <summary>CloudFront: 1 to 3 connection attempts.</summary>
    private const int MaxConnectionAttempts = 3;

    private const int MaxProbeThreshold = 10;

    public static DistributionConfig? Read(MapReader map, NamedEntry entry, IReadOnlyList<string> locationNames,
        Dictionary<string, (string Path, YNode Node)> aliasesSeen, IReadOnlyList<ListenClaim> edgeListeners,
        IReadOnlyList<EdgeLocationConfig> edgeLocations)
    {
        var ctx = map.Context;
        var errors = ctx.Errors.Count;
        var aliases = ReadAliases(map, aliasesSeen);
        var locations = ReadLocations(map, locationNames);

        var origins = new List<OriginConfig>();
        var originNames = new List<string>();
        if (map.Get("origins") is { } originsNode)
        {
            foreach (var origin in NamedEntries.Read(ctx, originsNode, map.PathOf("origins")))
            {
                originNames.Add(origin.Name); // even when invalid, so references to it do not cascade
                if (YamlReader.AsMapping(ctx, origin.Value, origin.Path) is { } om
                    && ReadOrigin(new MapReader(ctx, om, origin.Path, OriginKeys), origin, edgeListeners) is { } o)
                {
                    origins.Add(o);
                }
            }
        }
        if (originNames.Count == 0)
        {
            ctx.Error(map["origins"] ?? map.Node, map.PathOf("origins"), "a distribution needs at least one origin");
        }

        var groups = new List<OriginGroupConfig>();
        var groupNames = new List<string>();
        if (map.Get("origin_groups") is { } groupsNode)
        {
            var declared = groupsNode is YMapping gmap ? gmap.Entries.Select(e => e.Key).OfType<YScalar>().Select(k => k.Value).ToList() : [];
            foreach (var group in NamedEntries.Read(ctx, groupsNode, map.PathOf("origin_groups")))
            {
                if (originNames.Contains(group.Name))
                {
                    ctx.Error(group.KeyNode, group.Path,
                        $"'{group.Name}' is already an origin; origins and origin groups share one namespace (target names either)");
                    continue;
                }
                groupNames.Add(group.Name);
                if (YamlReader.AsMapping(ctx, group.Value, group.Path) is { } gm
                    && ReadGroup(new MapReader(ctx, gm, group.Path, GroupKeys), group, originNames, declared) is { } g)
                {
                    groups.Add(g);
                }
            }
        }
        var target = map.RequiredString("target");
        if (target is not null && originNames.Count > 0 && !originNames.Contains(target) && !groupNames.Contains(target))
        {
            ctx.Error(map.Get("target")!, map.PathOf("target"),
                $"unknown origin or origin group '{target}'{Suggestions.Hint(target, originNames.Concat(groupNames))}");
        }
        var serving = locations.Count == 0 ? edgeLocations : edgeLocations.Where(l => locations.Contains(l.Name)).ToList();
        var httpsLocations = serving.Where(l => l.HttpsListen.Count > 0).ToList();
        var behaviors = CacheBehaviorReader.Read(map, entry, target, [.. originNames, .. groupNames], httpsLocations.Count > 0);
        var errorCaching = CacheBehaviorReader.ReadErrorCaching(map);
        var certificates = CertificateReader.Read(map, aliases);
        // No certificates at all: the edge generates a self-signed one (the demo). Some: every alias served over
        // HTTPS should have one, or SNI finds nothing for it.
        if (certificates.Count > 0 && httpsLocations.Count > 0
            && aliases.Where(a => !certificates.Any(c => c.Aliases.Contains(a))).ToList() is { Count: > 0 } uncovered)
        {
            ctx.Warning(map.Get("certificates")!, map.PathOf("certificates"),
                $"no certificate for {string.Join(", ", uncovered)}, served over https by {string.Join(", ", httpsLocations.Select(l => $"{l.Name} (line {l.Location.Line})"))}");
        }
        if (ctx.Errors.Count != errors || target is null)
        {
            return null;
        }
        return new DistributionConfig
        {
            Name = entry.Name,
            Aliases = aliases,
            Locations = locations,
            Origins = origins,
            OriginGroups = groups,
            Target = target,
            Behaviors = behaviors,
            ErrorCachingMinTtl = errorCaching,
            Certificates = certificates,
            Location = ctx.Where(entry.KeyNode),
        };
    }

    private static IReadOnlyList<string> ReadAliases(MapReader map, Dictionary<string, (string Path, YNode Node)> seen)
    {
        var ctx = map.Context;
        var result = new List<string>();
        var items = map.List("aliases");
        for (var i = 0; i < items.Count; i++)
        {
            var path = map.Get("aliases") is YSequence ? LoadContext.Index(map.PathOf("aliases"), i) : map.PathOf("aliases");
            if (YamlReader.AsString(ctx, items[i], path) is not { } raw)
            {
                continue;
            }
            var name = DomainName.Absolute(raw);
            if (Addresses.TryParseIp(raw.Trim(), out _))
            {
                ctx.Error(items[i], path, $"aliases are host names, found the IP address '{raw}'");
                continue;
            }
            if (DomainName.Error(name) is { } error)
            {
                ctx.Error(items[i], path, error);
                continue;
            }
            if (seen.TryGetValue(name, out var first))
            {
                ctx.Error(items[i], path, $"alias '{name}' is already used by {first.Path} (line {first.Node.Line})");
                continue;
            }
            seen[name] = (path, items[i]);
            result.Add(name);
        }
        return result;
    }

    private static IReadOnlyList<string> ReadLocations(MapReader map, IReadOnlyList<string> known)
    {
        var ctx = map.Context;
        var result = new List<string>();
        var items = map.List("locations");
        for (var i = 0; i < items.Count; i++)
        {
            var path = map.Get("locations") is YSequence ? LoadContext.Index(map.PathOf("locations"), i) : map.PathOf("locations");
            if (YamlReader.AsString(ctx, items[i], path) is not { } name)
            {
                continue;
            }
            if (!known.Contains(name))
            {
                var hint = known.Count == 0 ? "; edge.locations declares none" : Suggestions.Hint(name, known);
                ctx.Error(items[i], path, $"unknown edge location '{name}'{hint}");
            }
            else if (result.Contains(name))
            {
                ctx.Error(items[i], path, $"edge location '{name}' is listed twice");
            }
            else
            {
                result.Add(name);
            }
        }
        return result;
    }

    private static OriginConfig? ReadOrigin(MapReader map, NamedEntry entry, IReadOnlyList<ListenClaim> edgeListeners)
    {
        var url = map.RequiredString("url") is { } text ? OriginUrl.Parse(map.Context, map.Get("url")!, map.PathOf("url"), text) : null;
        if (url is not null && IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip)
            && edgeListeners.FirstOrDefault(c => ListenClaims.Clash(c.Endpoint, new IPEndPoint(ip, url.Port))) is { } loop)
        {
            map.Context.Error(map.Get("url")!, map.PathOf("url"),
                $"origin {url.Host}:{url.Port} is the edge's own listener {loop.Field} (line {loop.Line}); requests would loop");
            url = null;
        }
        var defaults = new OriginConfig { Name = entry.Name, Url = new Uri("http://origin.invalid/") };
        var probe = map.Map("probe", ProbeKeys) is { } p ? ReadProbe(p) : defaults.Probe;
        var origin = defaults with
        {
            ConnectionTimeout = map.Duration("connection_timeout", TimeSpan.Zero, minExclusive: true) ?? defaults.ConnectionTimeout,
            ConnectionAttempts = map.Int("connection_attempts", 1, MaxConnectionAttempts) ?? defaults.ConnectionAttempts,
            ResponseTimeout = map.Duration("response_timeout", TimeSpan.Zero, minExclusive: true) ?? defaults.ResponseTimeout,
            Probe = probe,
        };
        return url is null ? null : origin with { Url = url };
    }

    private static OriginProbeConfig ReadProbe(MapReader map)
    {
        var defaults = OriginProbeConfig.Default;
        var interval = map.Duration("interval", TimeSpan.FromSeconds(1), minExclusive: false);
        var timeout = map.Duration("timeout", TimeSpan.Zero, minExclusive: true);
        // Only when both are valid or defaulted: a bad value is already reported at its own node.
        if ((interval is not null || map.Get("interval") is null) && (timeout is not null || map.Get("timeout") is null))
        {
            HttpFields.TimeoutBelowInterval(map, interval ?? defaults.Interval, timeout ?? defaults.Timeout);
        }
        return defaults with
        {
            Enabled = map.Bool("enabled") ?? defaults.Enabled,
            Path = HttpFields.Path(map, "path") ?? defaults.Path,
            Interval = interval ?? defaults.Interval,
            Timeout = timeout ?? defaults.Timeout,
            HealthyThreshold = map.Int("healthy_threshold", 1, MaxProbeThreshold) ?? defaults.HealthyThreshold,
            UnhealthyThreshold = map.Int("unhealthy_threshold", 1, MaxProbeThreshold) ?? defaults.UnhealthyThreshold,
        };
    }

    private static OriginGroupConfig? ReadGroup(MapReader map, NamedEntry entry, IReadOnlyList<string> originNames, IReadOnlyList<string> groupNames)
    {
        var ctx = map.Context;
        var errors = ctx.Errors.Count;
        var members = new List<string>();
        var items = map.List("members");
        for (var i = 0; i < items.Count; i++)
        {
            var path = map.Get("members") is YSequence ? LoadContext.Index(map.PathOf("members"), i) : map.PathOf("members");
            if (YamlReader.AsString(ctx, items[i], path) is not { } name)
            {
                continue;
            }
            if (!originNames.Contains(name))
            {
                ctx.Error(items[i], path, groupNames.Contains(name)
                    ? $"'{name}' is an origin group; members must be origins"
                    : $"unknown origin '{name}'{Suggestions.Hint(name, originNames)}");
            }
            else if (members.Contains(name))
            {
                ctx.Error(items[i], path, $"origin '{name}' is listed twice");
            }
            else
            {
                members.Add(name);
            }
        }
        if (items.Count < 2)
        {
            ctx.Error(map["members"] ?? map.Node, map.PathOf("members"),
                $"an origin group needs at least two members (a primary and a fallback), found {items.Count}");
        }
        var failoverOn = map.Get("failover_on") is { } f ? ReadFailoverCodes(ctx, f, map.PathOf("failover_on")) : null;
        if (ctx.Errors.Count != errors)
        {
            return null;
        }
        return new OriginGroupConfig
        {
            Name = entry.Name,
            Members = members,
            FailoverOn = failoverOn ?? OriginGroupConfig.DefaultFailoverStatusCodes,
        };
    }

    /// <summary>CloudFront failover criteria: status codes 400 to 599 (CloudFront allows a fixed subset; any 4xx/5xx here).</summary>
    private static IReadOnlyList<int>? ReadFailoverCodes(LoadContext ctx, YNode node, string path)
    {
        var items = YamlReader.AsList(ctx, node, path);
        if (items.Count == 0)
        {
            ctx.Error(node, path, "at least one status code is required");
            return null;
        }
        var codes = new List<int>();
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = node is YSequence ? LoadContext.Index(path, i) : path;
            if (YamlReader.AsString(ctx, items[i], itemPath) is not { } text)
            {
                continue;
            }
            if (!HttpFields.TryStatus(text, 400, 599, out var code))
            {
                ctx.Error(items[i], itemPath, $"expected a status code between 400 and 599, found '{text}'");
            }
            else if (codes.Contains(code))
            {
                ctx.Error(items[i], itemPath, $"status {code} is listed twice");
            }
            else
            {
                codes.Add(code);
            }
        }
        return codes;
    }
}
