using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>Reads one entry of a zone's <c>records:</c> list; set-level rules live in <see cref="RecordSetValidator"/>.</summary>
internal static class RecordReader
{
    private static readonly string[] Keys =
        ["name", "type", "ttl", "set_id", "routing", "values", "alias", "health_check", "when_all_unhealthy"];

    private static readonly string[] AliasKeys = ["target", "evaluate_target_health"];

    private static readonly Dictionary<string, RecordType> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["A"] = RecordType.A,
        ["AAAA"] = RecordType.AAAA,
        ["CNAME"] = RecordType.CNAME,
        ["TXT"] = RecordType.TXT,
        ["MX"] = RecordType.MX,
        ["SRV"] = RecordType.SRV,
        ["CAA"] = RecordType.CAA,
        ["NS"] = RecordType.NS,
    };

    private const int MaxSetIdLength = 128;

    public static RecordDraft? Read(LoadContext ctx, YNode node, string path, ZoneConfig zone, TopologyConfig config)
    {
        if (YamlReader.AsMapping(ctx, node, path) is not { } m)
        {
            return null;
        }
        var map = new MapReader(ctx, m, path, Keys);
        var name = ReadName(map, zone.Name);
        var type = map.Required("type") is not null ? map.Enum("type", Types) : null;
        var record = new RecordConfig
        {
            Name = name ?? zone.Name,
            Type = type ?? RecordType.A,
            Ttl = (uint?)map.Long("ttl", 0, int.MaxValue) ?? zone.DefaultTtl,
            SetId = ReadSetId(map),
            Location = ctx.Where(m),
        };
        var routingOk = true;
        if (map.Get("routing") is { } routingNode)
        {
            var routing = RoutingReader.Read(ctx, routingNode, map.PathOf("routing"), config);
            routingOk = routing is not null;
            record = record with { Routing = routing ?? record.Routing };
        }
        record = ReadData(map, record, type, zone.Name);
        if (map.String("health_check") is { } check)
        {
            if (config.FindHealthCheck(check) is null)
            {
                ctx.Error(map.Get("health_check")!, map.PathOf("health_check"),
                    $"unknown health check '{check}'{Suggestions.Hint(check, config.HealthChecks.Select(h => h.Name))}");
            }
            record = record with { HealthCheck = check };
        }
        if (map.Get("when_all_unhealthy") is { } wau)
        {
            record = record with { WhenAllUnhealthy = AllUnhealthyReader.Read(ctx, wau, map.PathOf("when_all_unhealthy"), type) };
        }
        return new RecordDraft(record, m, path)
        {
            // An invalid routing would read as simple and cascade into bogus set_id errors.
            Complete = name is not null && type is not null && routingOk,
            SetIdNode = map.Get("set_id"),
            RoutingNode = map.Get("routing"),
            ValuesNode = map.Get("values"),
            AliasTargetNode = map.Get("alias") is YMapping a ? a.Entries.FirstOrDefault(e => e.Key is YScalar { Value: "target" }).Value : null,
        };
    }

    private static string? ReadName(MapReader map, string zone)
    {
        if (map.RequiredString("name") is not { } raw)
        {
            return null;
        }
        var name = DomainName.Relative(raw, zone);
        if (DomainName.Error(name) is { } error)
        {
            map.Context.Error(map.Get("name")!, map.PathOf("name"), error);
            return null;
        }
        if (!DomainName.IsInZone(name, zone))
        {
            map.Context.Error(map.Get("name")!, map.PathOf("name"), $"'{name}' is outside zone '{zone}'");
            return null;
        }
        return name;
    }

    private static string? ReadSetId(MapReader map)
    {
        if (map.String("set_id") is not { } id)
        {
            return null;
        }
        if (id.Length is 0 or > MaxSetIdLength)
        {
            map.Context.Error(map.Get("set_id")!, map.PathOf("set_id"), $"set_id must be 1 to {MaxSetIdLength} characters");
        }
        return id;
    }

    /// <summary>Exactly one of <c>values</c> and <c>alias</c>.</summary>
    private static RecordConfig ReadData(MapReader map, RecordConfig record, RecordType? type, string zone)
    {
        var ctx = map.Context;
        var hasValues = map.Get("values") is not null;
        var hasAlias = map.Get("alias") is not null;
        if (hasValues == hasAlias)
        {
            ctx.Error(hasAlias ? map.Get("alias")! : map.Node, map.Path,
                hasAlias ? "give either values or alias, not both" : "a record needs values or an alias");
        }
        if (hasValues)
        {
            var values = new List<string>();
            var items = map.List("values");
            for (var i = 0; i < items.Count; i++)
            {
                var path = LoadContext.Index(map.PathOf("values"), i);
                if (YamlReader.AsString(ctx, items[i], path) is not { } value)
                {
                    continue;
                }
                if (type is { } t && RecordValues.Error(t, value) is { } error)
                {
                    ctx.Error(items[i], path, error);
                }
                else if (values.Contains(value, StringComparer.OrdinalIgnoreCase))
                {
                    ctx.Error(items[i], path, $"duplicate value '{value}'"); // Route53 rejects duplicates too
                }
                values.Add(value);
            }
            if (items.Count == 0)
            {
                ctx.Error(map.Get("values")!, map.PathOf("values"), "values must not be empty");
            }
            else if (type == RecordType.CNAME && items.Count > 1)
            {
                ctx.Error(map.Get("values")!, map.PathOf("values"), "a CNAME record has exactly one value");
            }
            record = record with { Values = values };
        }
        if (map.Map("alias", AliasKeys) is { } alias && alias.RequiredString("target") is { } raw)
        {
            var target = DomainName.Relative(raw, zone);
            if (DomainName.Error(target) is { } error)
            {
                ctx.Error(alias.Get("target")!, alias.PathOf("target"), error);
                return record; // an invalid target would only add "no records" noise
            }
            record = record with { Alias = new AliasConfig(target, alias.Bool("evaluate_target_health") ?? false) };
        }
        return record;
    }
}
