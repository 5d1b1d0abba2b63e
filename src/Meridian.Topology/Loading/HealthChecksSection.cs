using System.Globalization;
using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary><c>health_checks: { name: { type, target, ... } }</c> — Route53 health checks plus rise/fall and fast confirmation.</summary>
internal sealed class HealthChecksSection : ITopologySection
{
    private static readonly string[] Keys =
    [
        "type", "target", "host_header", "path", "interval", "timeout", "failure_threshold", "rise", "fall",
        "confirm_interval", "match", "invert", "disabled", "validate_certificate", "locations", "healthy_fraction",
        "children", "healthy_when", "role", "database", "user", "password",
    ];

    private static readonly Dictionary<string, PostgresRole> RoleNames = new()
    {
        ["any"] = PostgresRole.Any,
        ["primary"] = PostgresRole.Primary,
        ["standby"] = PostgresRole.Standby,
    };

    private static readonly string[] PostgresOnlyKeys = ["role", "database", "user", "password"];

    private static readonly Dictionary<string, HealthCheckType> TypeNames = new()
    {
        ["http"] = HealthCheckType.Http,
        ["https"] = HealthCheckType.Https,
        ["tcp"] = HealthCheckType.Tcp,
        ["calculated"] = HealthCheckType.Calculated,
        ["postgres"] = HealthCheckType.Postgres,
    };

    private const int MaxThreshold = 100;

    public string Key => "health_checks";

    public void Read(LoadContext ctx, YNode node, TopologyBuilder builder)
    {
        var checks = new List<HealthCheckConfig>();
        var graph = new HealthCheckGraph();
        foreach (var entry in NamedEntries.Read(ctx, node, Key))
        {
            if (YamlReader.AsMapping(ctx, entry.Value, entry.Path) is not { } m)
            {
                continue;
            }
            var map = new MapReader(ctx, m, entry.Path, Keys);
            var check = ReadCheck(map, entry, builder.Config.Checkers);
            checks.Add(check);
            graph.Add(entry, map, check);
        }
        graph.Validate(ctx);
        builder.Config = builder.Config with { HealthChecks = checks };
    }

    private static HealthCheckConfig ReadCheck(MapReader map, NamedEntry entry, CheckersConfig checkers)
    {
        var ctx = map.Context;
        var type = map.Required("type") is not null ? map.Enum("type", TypeNames) : null;
        var check = new HealthCheckConfig
        {
            Name = entry.Name,
            Type = type ?? HealthCheckType.Http,
            Location = ctx.Where(entry.KeyNode),
        };
        var calculated = type == HealthCheckType.Calculated;
        if (calculated)
        {
            foreach (var key in new[] { "target", "host_header", "path", "match", "validate_certificate", "timeout" })
            {
                if (map[key] is { } extra)
                {
                    ctx.Error(extra, map.PathOf(key), $"'{key}' does not apply to a calculated check");
                }
            }
        }
        else if (type is not null)
        {
            foreach (var key in new[] { "children", "healthy_when" })
            {
                if (map[key] is { } extra)
                {
                    ctx.Error(extra, map.PathOf(key), $"'{key}' applies only to calculated checks");
                }
            }
            if (type != HealthCheckType.Https && map["validate_certificate"] is { } v)
            {
                ctx.Error(v, map.PathOf("validate_certificate"), "'validate_certificate' applies only to https checks");
            }
            if (type == HealthCheckType.Postgres)
            {
                foreach (var key in new[] { "path", "host_header", "match" })
                {
                    if (map[key] is { } extra)
                    {
                        ctx.Error(extra, map.PathOf(key), $"'{key}' does not apply to a postgres check");
                    }
                }
            }

            check = ReadTarget(map, check);
        }

        if (type != HealthCheckType.Postgres)
        {
            foreach (var key in PostgresOnlyKeys)
            {
                if (map[key] is { } extra)
                {
                    ctx.Error(extra, map.PathOf(key), $"'{key}' applies only to postgres checks");
                }
            }
        }
        else
        {
            check = check with
            {
                PostgresRole = map.Enum("role", RoleNames) ?? PostgresRole.Any,
                PostgresDatabase = map.String("database") ?? check.PostgresDatabase,
                PostgresUser = map.String("user") ?? check.PostgresUser,
                PostgresPassword = map.String("password"),
            };
        }

        var threshold = map.Int("failure_threshold", 1, MaxThreshold);
        check = check with
        {
            HostHeader = map.String("host_header") is { } hh ? HostHeader(map, hh) : null,
            Path = ReadPath(map) ?? check.Path,
            Interval = map.Duration("interval", TimeSpan.FromSeconds(1), minExclusive: false) ?? check.Interval,
            Timeout = map.Duration("timeout", TimeSpan.Zero, minExclusive: true) ?? check.Timeout,
            ConfirmInterval = map.Duration("confirm_interval", TimeSpan.Zero, minExclusive: true) ?? check.ConfirmInterval,
            Rise = map.Int("rise", 1, MaxThreshold) ?? threshold ?? check.Rise,
            Fall = map.Int("fall", 1, MaxThreshold) ?? threshold ?? check.Fall,
            Invert = map.Bool("invert") ?? false,
            Disabled = map.Bool("disabled") ?? false,
            ValidateCertificate = map.Bool("validate_certificate") ?? false,
            Locations = ReadLocations(map, checkers),
            HealthyFraction = map.Double("healthy_fraction", 0, 1),
        };
        if (map.Map("match", HealthCheckMatchReader.Keys) is { } match)
        {
            check = HealthCheckMatchReader.Read(match, check);
        }
        if (calculated)
        {
            check = ReadCalculated(map, check);
        }
        return check;
    }

    private static HealthCheckConfig ReadTarget(MapReader map, HealthCheckConfig check)
    {
        if (map.RequiredString("target") is not { } target)
        {
            return check;
        }
        var node = map.Get("target")!;
        var path = map.PathOf("target");
        if (!Addresses.SplitHostPort(target.Trim(), out var host, out var portText))
        {
            map.Context.Error(node, path, $"expected host:port (IPv6 as [::1]:80), found '{target}'");
            return check;
        }
        if (!Addresses.TryParseIp(host, out _) && DomainName.Error(DomainName.Absolute(host), allowWildcard: false) is { } nameError)
        {
            map.Context.Error(node, path, $"host must be an IP address or a name: {nameError}");
            return check;
        }
        int port;
        if (portText is null)
        {
            if (check.Type == HealthCheckType.Tcp)
            {
                map.Context.Error(node, path, $"tcp checks need a port: expected host:port, found '{target}'");
                return check;
            }
            port = check.Type switch
            {
                HealthCheckType.Https => 443,
                HealthCheckType.Postgres => 5432,
                _ => 80,
            };
        }
        else if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            map.Context.Error(node, path, $"port must be between 1 and 65535, found '{portText}'");
            return check;
        }
        var normalizedHost = Addresses.TryParseIp(host, out var ip) ? ip.ToString() : DomainName.Absolute(host);
        return check with { Host = normalizedHost, Port = port };
    }

    private static string? HostHeader(MapReader map, string value)
    {
        var name = DomainName.Absolute(value);
        if (!Addresses.TryParseIp(value, out _) && DomainName.Error(name, allowWildcard: false) is { } error)
        {
            map.Context.Error(map.Get("host_header")!, map.PathOf("host_header"), error);
        }
        return name;
    }

    private static string? ReadPath(MapReader map)
    {
        if (map.String("path") is not { } path)
        {
            return null;
        }
        if (!path.StartsWith('/') || path.Any(char.IsWhiteSpace))
        {
            map.Context.Error(map.Get("path")!, map.PathOf("path"), $"path must start with '/' and contain no spaces, found '{path}'");
        }
        return path;
    }

    private static IReadOnlyList<string> ReadLocations(MapReader map, CheckersConfig checkers)
    {
        var result = new List<string>();
        var items = map.List("locations");
        for (var i = 0; i < items.Count; i++)
        {
            var path = LoadContext.Index(map.PathOf("locations"), i);
            if (YamlReader.AsString(map.Context, items[i], path) is not { } name)
            {
                continue;
            }
            if (!checkers.Locations.Contains(name))
            {
                map.Context.Error(items[i], path,
                    $"unknown checker location '{name}'; checkers.locations has {string.Join(", ", checkers.Locations)}{Suggestions.Hint(name, checkers.Locations)}");
                continue;
            }
            if (!result.Contains(name))
            {
                result.Add(name);
            }
        }
        return result;
    }

    private static HealthCheckConfig ReadCalculated(MapReader map, HealthCheckConfig check)
    {
        var children = new List<string>();
        var items = map.List("children");
        for (var i = 0; i < items.Count; i++)
        {
            if (YamlReader.AsString(map.Context, items[i], LoadContext.Index(map.PathOf("children"), i)) is { } child)
            {
                children.Add(child);
            }
        }
        if (children.Count == 0 && items.Count == 0)
        {
            map.Context.Error(map["children"] ?? map.Node, map.PathOf("children"), "a calculated check needs at least one child");
        }
        check = check with { Children = children };
        if (map.Get("healthy_when") is not { } rule)
        {
            return check;
        }
        var path = map.PathOf("healthy_when");
        switch (rule)
        {
            case YScalar { Value: "all" }:
                return check with { Rule = CalculatedRule.All };
            case YScalar { Value: "any" }:
                return check with { Rule = CalculatedRule.Any };
            case YMapping m:
                var atLeast = new MapReader(map.Context, m, path, ["at_least"]);
                if (atLeast.Required("at_least") is not null && atLeast.Int("at_least", 1, Math.Max(1, items.Count)) is { } n)
                {
                    return check with { Rule = CalculatedRule.AtLeast, AtLeast = n };
                }
                return check;
            default:
                map.Context.Error(rule, path, $"expected all, any or {{ at_least: N }}, found {rule.Describe}");
                return check;
        }
    }
}
