using Meridian.Dns.Clients;
using Meridian.Dns.Routing;
using Meridian.Dns.Wire;
using Meridian.Health;
using Meridian.Topology.Model;

namespace Meridian.Dns.Zones;

/// <summary>
/// Turns a validated topology into a <see cref="ZoneSnapshot"/>: encodes every RDATA once, resolves health
/// checks and alias targets to objects, and adds the apex SOA/NS sets and empty non-terminals.
/// </summary>
internal static class ZoneCompiler
{
    /// <summary>Route53's TTL for the apex NS set.</summary>
    private const uint ApexNsTtl = 172800;

    public static ZoneSnapshot Compile(TopologyConfig topology, IHealthView health, GeoLocator geo)
    {
        var names = new Dictionary<string, NameNode>(StringComparer.Ordinal);
        var zones = new Dictionary<string, CompiledZone>(StringComparer.Ordinal);
        var latency = new LatencyMap(topology);
        var pendingAliases = new List<(CompiledRecord Record, string Target, RecordType Type)>();

        foreach (var zoneConfig in topology.Zones)
        {
            var soa = zoneConfig.Soa;
            var zone = new CompiledZone(zoneConfig, DnsName.ToWire(zoneConfig.Name), RdataEncoding.Soa(soa));
            zones[zoneConfig.Name] = zone;
            zone.Apex = GetOrAdd(names, zone, zoneConfig.Name);

            AddSet(zone, zone.Apex, [Synthetic(zoneConfig.Name, RecordType.SOA, soa.Ttl, [])], zone.SoaRdata);
            if (zoneConfig.NameServers.Count > 0)
            {
                AddSet(zone, zone.Apex, [Synthetic(zoneConfig.Name, RecordType.NS, ApexNsTtl, zoneConfig.NameServers)], null);
            }

            foreach (var group in zoneConfig.Records.GroupBy(r => (r.Name, r.Type)))
            {
                var node = GetOrAdd(names, zone, group.Key.Name);
                var set = AddSet(zone, node, group.ToArray(), null, health, latency);
                foreach (var record in set.Records.Where(r => r.Config.Alias is not null))
                {
                    pendingAliases.Add((record, record.Config.Alias!.Target, group.Key.Type));
                }
            }
        }

        foreach (var (record, target, type) in pendingAliases)
        {
            record.AliasTarget = names.TryGetValue(target, out var node) ? node.Find((ushort)type) : null;
        }

        var routing = new RoutingContext(latency, geo, new CidrCollectionIndex(topology.CidrCollections));
        return new ZoneSnapshot(topology, names, zones, routing);
    }

    private static RecordConfig Synthetic(string name, RecordType type, uint ttl, IReadOnlyList<string> values) =>
        new() { Name = name, Type = type, Ttl = ttl, Values = values };

    private static RecordSetNode AddSet(CompiledZone zone, NameNode node, RecordConfig[] configs, byte[]? presetRdata,
        IHealthView? health = null, LatencyMap? latency = null)
    {
        var first = configs[0];
        var records = configs.Select(c => new CompiledRecord
        {
            Config = c,
            Rdata = presetRdata is not null ? [presetRdata] : c.Values.Select(v => RdataEncoding.Encode(c.Type, v)).ToArray(),
            Health = c.HealthCheck is { } check ? health?.Find(check) : null,
            RegionIndex = c.Routing is RoutingPolicy.Latency l && latency is not null ? latency.RegionIndex(l.Region) : -1,
            Weight = c.Routing is RoutingPolicy.Weighted w ? w.Weight : 0,
        }).ToArray();
        var behavior = configs.Select(c => c.WhenAllUnhealthy).FirstOrDefault(b => b is not null)
            ?? ZoneDefaultFor(zone.Config.WhenAllUnhealthy, first.Type, presetRdata is not null);
        var set = new RecordSetNode
        {
            Owner = node,
            Type = first.Type,
            Kind = KindOf(first.Routing),
            Records = records,
            WhenAllUnhealthy = behavior,
            FallbackRdata = behavior.FallbackValues.Select(v => RdataEncoding.Encode(first.Type, v)).ToArray(),
        };
        node.Add(set);
        return set;
    }

    /// <summary>
    /// A zone-wide fallback applies to the record types its values are valid for (192.0.2.1 fits A records, not
    /// MX); other sets, and the apex SOA/NS, fail open.
    /// </summary>
    private static AllUnhealthyBehavior ZoneDefaultFor(AllUnhealthyBehavior zoneDefault, RecordType type, bool synthetic)
    {
        if (synthetic || (zoneDefault.Kind == AllUnhealthyKind.Fallback &&
            !zoneDefault.FallbackValues.All(v => RdataEncoder.Encode(type, v).Success)))
        {
            return AllUnhealthyBehavior.FailOpen;
        }

        return zoneDefault;
    }

    private static PolicyKind KindOf(RoutingPolicy routing) => routing switch
    {
        RoutingPolicy.Failover => PolicyKind.Failover,
        RoutingPolicy.Latency => PolicyKind.Latency,
        RoutingPolicy.Weighted => PolicyKind.Weighted,
        RoutingPolicy.Geolocation => PolicyKind.Geolocation,
        RoutingPolicy.IpBased => PolicyKind.IpBased,
        RoutingPolicy.Multivalue => PolicyKind.Multivalue,
        _ => PolicyKind.Simple,
    };

    /// <summary>Adds the name and every ancestor up to the apex (empty non-terminals answer NODATA).</summary>
    private static NameNode GetOrAdd(Dictionary<string, NameNode> names, CompiledZone zone, string name)
    {
        if (names.TryGetValue(name, out var existing))
        {
            return existing;
        }

        var node = new NameNode(name, DnsName.ToWire(name), zone);
        names[name] = node;
        if (name.Length > zone.Name.Length)
        {
            GetOrAdd(names, zone, name[(name.IndexOf('.') + 1)..]);
        }

        return node;
    }
}
