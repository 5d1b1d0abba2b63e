using System.Net;
using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>
/// <c>load_balancers: { name: { region, listen, algorithm, targets, health, deregistration_delay, health_endpoint,
/// request_id_header } }</c> — one ALB (listener plus target group) per entry.
/// </summary>
internal sealed class LoadBalancersSection : ITopologySection
{
    private static readonly string[] Keys =
        ["region", "listen", "algorithm", "targets", "health", "deregistration_delay", "health_endpoint", "request_id_header"];

    private static readonly string[] HealthKeys =
        ["path", "port", "interval", "timeout", "healthy_threshold", "unhealthy_threshold", "matcher"];

    private static readonly Dictionary<string, BalancingAlgorithm> Algorithms = new()
    {
        ["round_robin"] = BalancingAlgorithm.RoundRobin,
        ["least_outstanding_requests"] = BalancingAlgorithm.LeastOutstandingRequests,
    };

    /// <summary>ALB: healthy and unhealthy thresholds are 2 to 10.</summary>
    private const int MinThreshold = 2, MaxThreshold = 10;

    /// <summary>ALB: the deregistration delay is 0 to 3600 seconds.</summary>
    private static readonly TimeSpan MaxDeregistrationDelay = TimeSpan.FromHours(1);

    /// <summary>ALB matcher codes for HTTP health checks are 200 to 499.</summary>
    private const int MinMatcher = 200, MaxMatcher = 499;

    public string Key => "load_balancers";

    public void Read(LoadContext ctx, YNode node, TopologyBuilder builder)
    {
        var balancers = new List<LoadBalancerConfig>();
        var claims = ListenClaims.Existing(builder);
        foreach (var entry in NamedEntries.Read(ctx, node, Key))
        {
            if (YamlReader.AsMapping(ctx, entry.Value, entry.Path) is not { } m)
            {
                continue;
            }
            var map = new MapReader(ctx, m, entry.Path, Keys);
            if (ReadBalancer(map, entry, builder.Config, claims) is { } balancer)
            {
                balancers.Add(balancer);
            }
        }
        builder.Listeners.AddRange(claims.Where(c => c.Field.StartsWith(Key + ".", StringComparison.Ordinal)));
        builder.Config = builder.Config with { LoadBalancers = balancers };
    }

    private static LoadBalancerConfig? ReadBalancer(MapReader map, NamedEntry entry, TopologyConfig config, List<ListenClaim> claims)
    {
        var ctx = map.Context;
        var region = ReadRegion(map, config);
        var listen = ReadListen(map, claims);
        var targets = ReadTargets(map, listen);
        var defaults = new LoadBalancerConfig { Name = entry.Name, Region = "", Listen = new IPEndPoint(IPAddress.None, 0) };
        var health = map.Map("health", HealthKeys) is { } h ? ReadHealth(h) : defaults.Health;
        var delay = map.Duration("deregistration_delay", TimeSpan.Zero, minExclusive: false);
        if (delay > MaxDeregistrationDelay)
        {
            ctx.Error(map.Get("deregistration_delay")!, map.PathOf("deregistration_delay"),
                $"must be at most {HttpFields.Format(MaxDeregistrationDelay)} (ALB limit), found {map.String("deregistration_delay")}");
            delay = null;
        }
        var balancer = defaults with
        {
            Region = region ?? "",
            Listen = listen ?? defaults.Listen,
            Algorithm = map.Enum("algorithm", Algorithms) ?? defaults.Algorithm,
            Targets = targets,
            Health = health,
            DeregistrationDelay = delay ?? defaults.DeregistrationDelay,
            HealthEndpoint = HttpFields.Path(map, "health_endpoint") ?? defaults.HealthEndpoint,
            RequestIdHeader = HttpFields.HeaderName(map, "request_id_header") ?? defaults.RequestIdHeader,
            Location = ctx.Where(entry.KeyNode),
        };
        return region is null || listen is null ? null : balancer;
    }

    private static string? ReadRegion(MapReader map, TopologyConfig config)
    {
        if (map.RequiredString("region") is not { } region)
        {
            return null;
        }
        if (config.FindRegion(region) is null)
        {
            var names = config.Regions.Select(r => r.Name).ToList();
            map.Context.Error(map.Get("region")!, map.PathOf("region"),
                $"unknown region '{region}'{(names.Count == 0 ? "; no regions are declared" : Suggestions.Hint(region, names))}");
            return null;
        }
        return region;
    }

    private static IPEndPoint? ReadListen(MapReader map, List<ListenClaim> claims)
    {
        if (map.RequiredString("listen") is not { } text)
        {
            return null;
        }
        var node = map.Get("listen")!;
        if (Addresses.TryParseEndpoint(text.Trim(), out var endpoint) is { } error)
        {
            map.Context.Error(node, map.PathOf("listen"), error);
            return null;
        }
        // Still returned on a clash: the balancer is otherwise valid, and dropping it would cascade.
        ListenClaims.TryClaim(map.Context, claims, endpoint, node, map.PathOf("listen"));
        return endpoint;
    }

    private static IReadOnlyList<TargetConfig> ReadTargets(MapReader map, IPEndPoint? listen)
    {
        var ctx = map.Context;
        var path = map.PathOf("targets");
        var items = map.List("targets");
        if (items.Count == 0)
        {
            ctx.Error(map["targets"] ?? map.Node, path, "a target group with no targets: list at least one host:port in 'targets'");
            return [];
        }
        var targets = new List<TargetConfig>();
        var seen = new Dictionary<TargetConfig, YNode>();
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = LoadContext.Index(path, i);
            if (HttpFields.HostPort(ctx, items[i], itemPath) is not { } target)
            {
                continue;
            }
            if (seen.TryGetValue(target, out var first))
            {
                ctx.Error(items[i], itemPath, $"duplicate target {target} (first at {LoadContext.Where(first, items[i])})");
                continue;
            }
            if (listen is not null && Addresses.TryParseIp(target.Host, out var ip) && ListenClaims.Clash(listen, new IPEndPoint(ip, target.Port)))
            {
                ctx.Error(items[i], itemPath, $"target {target} is the load balancer's own listener; requests would loop");
                continue;
            }
            seen[target] = items[i];
            targets.Add(target);
        }
        return targets;
    }

    private static TargetHealthConfig ReadHealth(MapReader map)
    {
        var ctx = map.Context;
        var defaults = TargetHealthConfig.Default;
        var interval = map.Duration("interval", TimeSpan.FromSeconds(1), minExclusive: false);
        var timeout = map.Duration("timeout", TimeSpan.Zero, minExclusive: true);
        // Only when both are valid or defaulted: a bad value is already reported at its own node.
        if ((interval is not null || map.Get("interval") is null) && (timeout is not null || map.Get("timeout") is null))
        {
            HttpFields.TimeoutBelowInterval(map, interval ?? defaults.Interval, timeout ?? defaults.Timeout);
        }
        var matcher = map.Get("matcher") is { } m ? HttpFields.StatusRanges(ctx, m, map.PathOf("matcher"), MinMatcher, MaxMatcher) : null;
        return defaults with
        {
            Path = HttpFields.Path(map, "path") ?? defaults.Path,
            Port = ReadPort(map),
            Interval = interval ?? defaults.Interval,
            Timeout = timeout ?? defaults.Timeout,
            HealthyThreshold = map.Int("healthy_threshold", MinThreshold, MaxThreshold) ?? defaults.HealthyThreshold,
            UnhealthyThreshold = map.Int("unhealthy_threshold", MinThreshold, MaxThreshold) ?? defaults.UnhealthyThreshold,
            Matcher = matcher ?? defaults.Matcher,
        };
    }

    /// <summary><c>port: 8081</c> or <c>port: traffic-port</c> (ALB's name for "the target's own port", null here).</summary>
    private static int? ReadPort(MapReader map)
    {
        if (map.String("port") is not { } text || text == "traffic-port")
        {
            return null;
        }
        if (HttpFields.Port(text) is { } port)
        {
            return port;
        }
        map.Context.Error(map.Get("port")!, map.PathOf("port"), $"expected a port (1-65535) or traffic-port, found '{text}'");
        return null;
    }
}
