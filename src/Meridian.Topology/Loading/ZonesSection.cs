using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary><c>zones: { zone-name: { soa, name_servers, default_ttl, when_all_unhealthy, records } }</c></summary>
internal sealed class ZonesSection : ITopologySection
{
    private static readonly string[] Keys = ["soa", "name_servers", "default_ttl", "when_all_unhealthy", "records"];
    private static readonly string[] SoaKeys = ["primary_ns", "hostmaster", "serial", "refresh", "retry", "expire", "minimum", "ttl"];

    public string Key => "zones";

    public void Read(LoadContext ctx, YNode node, TopologyBuilder builder)
    {
        var zones = new List<ZoneConfig>();
        // Normalised before the duplicate check so "MyDomain.test." and "mydomain.test" collide.
        foreach (var entry in NamedEntries.Read(ctx, node, Key, DomainName.Absolute))
        {
            if (DomainName.Error(entry.Name, allowWildcard: false) is { } nameError)
            {
                ctx.Error(entry.KeyNode, entry.Path, nameError);
            }
            if (YamlReader.AsMapping(ctx, entry.Value, entry.Path) is not { } m)
            {
                continue;
            }
            zones.Add(ReadZone(new MapReader(ctx, m, entry.Path, Keys), entry, builder.Config));
        }
        builder.Config = builder.Config with { Zones = zones };
    }

    private static ZoneConfig ReadZone(MapReader map, NamedEntry entry, TopologyConfig config)
    {
        var ctx = map.Context;
        var zone = new ZoneConfig
        {
            Name = entry.Name,
            Soa = ReadSoa(map, entry.Name),
            NameServers = ReadNameServers(map),
            DefaultTtl = (uint?)map.Long("default_ttl", 0, int.MaxValue) ?? 300,
            Location = ctx.Where(entry.KeyNode),
        };
        if (map.Get("when_all_unhealthy") is { } wau)
        {
            zone = zone with { WhenAllUnhealthy = AllUnhealthyReader.Read(ctx, wau, map.PathOf("when_all_unhealthy"), null) ?? zone.WhenAllUnhealthy };
        }
        var drafts = new List<RecordDraft>();
        var items = map.List("records");
        for (var i = 0; i < items.Count; i++)
        {
            if (RecordReader.Read(ctx, items[i], LoadContext.Index(map.PathOf("records"), i), zone, config) is { } draft)
            {
                drafts.Add(draft);
            }
        }
        foreach (var d in drafts.Where(d => d.Complete && d.Config.Type == RecordType.NS && d.Config.Name == zone.Name))
        {
            ctx.Error(d.Node, d.Path, "apex NS records come from the zone's name_servers; remove this record");
        }
        RecordSetValidator.Validate(ctx, zone.Name, drafts);
        return zone with { Records = drafts.Select(d => d.Config).ToList() };
    }

    private static SoaConfig ReadSoa(MapReader zone, string zoneName)
    {
        // Route53's SOA defaults; the serial is fixed because the file, not a counter, is the source of truth.
        var fallback = new SoaConfig($"ns1.{zoneName}", $"hostmaster.{zoneName}", 1, 7200, 900, 1209600, 86400, 900);
        if (zone.Required("soa") is null || zone.Map("soa", SoaKeys) is not { } soa)
        {
            return fallback;
        }
        return new SoaConfig(
            SoaName(soa, "primary_ns") ?? fallback.PrimaryNs,
            SoaName(soa, "hostmaster") ?? fallback.Hostmaster,
            Uint(soa, "serial") ?? fallback.Serial,
            Uint(soa, "refresh") ?? fallback.Refresh,
            Uint(soa, "retry") ?? fallback.Retry,
            Uint(soa, "expire") ?? fallback.Expire,
            Uint(soa, "minimum") ?? fallback.Minimum,
            Uint(soa, "ttl") ?? fallback.Ttl);
    }

    private static uint? Uint(MapReader map, string key) => (uint?)map.Long(key, 0, uint.MaxValue);

    private static string? SoaName(MapReader soa, string key)
    {
        if (soa.RequiredString(key) is not { } raw)
        {
            return null;
        }
        if (key == "hostmaster" && raw.IndexOf('@') is > 0 and var at)
        {
            // SOA RNAME is a mailbox in domain form; spell out the conversion rather than a bare syntax error.
            soa.Context.Error(soa.Get(key)!, soa.PathOf(key),
                $"write the mailbox in domain form: '{raw[..at]}.{raw[(at + 1)..]}' instead of '{raw}'");
            return null;
        }
        var name = DomainName.Absolute(raw);
        if (DomainName.Error(name, allowWildcard: false) is { } error)
        {
            soa.Context.Error(soa.Get(key)!, soa.PathOf(key), error);
            return null;
        }
        return name;
    }

    private static IReadOnlyList<string> ReadNameServers(MapReader map)
    {
        var result = new List<string>();
        var items = map.List("name_servers");
        for (var i = 0; i < items.Count; i++)
        {
            var path = LoadContext.Index(map.PathOf("name_servers"), i);
            if (YamlReader.AsString(map.Context, items[i], path) is not { } raw)
            {
                continue;
            }
            var name = DomainName.Absolute(raw);
            if (DomainName.Error(name, allowWildcard: false) is { } error)
            {
                map.Context.Error(items[i], path, error);
            }
            else if (result.Contains(name))
            {
                map.Context.Error(items[i], path, $"duplicate name server '{name}'");
            }
            else
            {
                result.Add(name);
            }
        }
        return result;
    }
}
