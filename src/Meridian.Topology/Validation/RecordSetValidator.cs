using Meridian.Topology.Loading;
using Meridian.Topology.Model;

namespace Meridian.Topology.Validation;

/// <summary>
/// Rules across the records of one zone (Route53 record-set semantics): set identifiers, one routing kind per
/// name and type, failover/geolocation/ip uniqueness, CNAME exclusivity, alias targets.
/// </summary>
internal static class RecordSetValidator
{
    public static void Validate(LoadContext ctx, string zone, IReadOnlyList<RecordDraft> drafts)
    {
        var complete = drafts.Where(d => d.Complete).ToList();
        var sets = complete.GroupBy(d => (d.Config.Name, d.Config.Type)).ToList();
        foreach (var set in sets)
        {
            ValidateSet(ctx, set.ToList());
        }
        ValidateCnames(ctx, zone, complete);
        ValidateAliases(ctx, zone, complete, sets.Select(s => s.Key).ToHashSet());
        AliasCycleValidator.Validate(ctx, complete);
        WarnNeverFailsOver(ctx, complete);
    }

    private static void ValidateSet(LoadContext ctx, List<RecordDraft> set)
    {
        var first = set[0];
        var kind = first.Config.Routing.Kind;
        var label = $"{first.Config.Name} {first.Config.Type}";
        foreach (var d in set.Skip(1).Where(d => d.Config.Routing.Kind != kind))
        {
            ctx.Error(d.NodeOr(d.RoutingNode), d.Path,
                $"all {label} records must share one routing policy: line {first.Node.Line} uses {kind}, this one {d.Config.Routing.Kind}");
        }
        if (kind == "simple")
        {
            foreach (var d in set.Where(d => d.Config.Routing.Kind == "simple").Skip(1))
            {
                ctx.Error(d.Node, d.Path, $"only one simple {label} record is allowed (first at line {first.Node.Line}); list several values in one record");
            }
        }
        var setIds = new Dictionary<string, RecordDraft>(StringComparer.Ordinal);
        foreach (var d in set)
        {
            var simple = d.Config.Routing.Kind == "simple";
            if (simple && d.SetIdNode is not null)
            {
                ctx.Error(d.SetIdNode, LoadContext.Join(d.Path, "set_id"), "simple records have no set_id; remove it or add a routing policy");
            }
            else if (!simple && d.Config.SetId is null)
            {
                ctx.Error(d.Node, LoadContext.Join(d.Path, "set_id"), $"{d.Config.Routing.Kind} records need a set_id");
            }
            else if (d.Config.SetId is { } id && !setIds.TryAdd(id, d))
            {
                ctx.Error(d.NodeOr(d.SetIdNode), LoadContext.Join(d.Path, "set_id"),
                    $"duplicate set_id '{id}' for {label} (first at line {setIds[id].Node.Line})");
            }
        }
        ValidateUnique(ctx, set, label);
    }

    /// <summary>At most one record per failover role, geolocation and IP location within a set.</summary>
    private static void ValidateUnique(LoadContext ctx, List<RecordDraft> set, string label)
    {
        var seen = new Dictionary<string, RecordDraft>(StringComparer.Ordinal);
        string? collection = null;
        foreach (var d in set)
        {
            var routingPath = LoadContext.Join(d.Path, "routing");
            string? key = d.Config.Routing switch
            {
                RoutingPolicy.Failover f => $"{f.Role.ToString().ToLowerInvariant()} failover record",
                RoutingPolicy.Geolocation { IsDefault: true } => "default geolocation record",
                RoutingPolicy.Geolocation g => $"geolocation record for {g.Continent ?? g.Country}{(g.Subdivision is null ? "" : "-" + g.Subdivision)}",
                RoutingPolicy.IpBased ip => $"ip record for location '{ip.LocationName}'",
                _ => null,
            };
            if (key is not null && !seen.TryAdd(key, d))
            {
                ctx.Error(d.NodeOr(d.RoutingNode), routingPath, $"{label} has more than one {key} (first at line {seen[key].Node.Line})");
            }
            if (d.Config.Routing is RoutingPolicy.IpBased ipb)
            {
                collection ??= ipb.Collection;
                if (ipb.Collection != collection)
                {
                    ctx.Error(d.NodeOr(d.RoutingNode), routingPath, $"all ip records of {label} must use one CIDR collection ('{collection}')");
                }
            }
            if (d.Config.Routing is RoutingPolicy.Multivalue)
            {
                if (d.Config.Alias is not null)
                {
                    ctx.Error(d.Node, d.Path, "multivalue records cannot be aliases");
                }
                else if (d.Config.Values.Count > 1)
                {
                    ctx.Error(d.NodeOr(d.ValuesNode), LoadContext.Join(d.Path, "values"), "a multivalue record has exactly one value; add one record per value");
                }
            }
        }
    }

    private static void ValidateCnames(LoadContext ctx, string zone, List<RecordDraft> records)
    {
        foreach (var d in records.Where(d => d.Config.Type == RecordType.CNAME))
        {
            if (d.Config.Name == zone)
            {
                ctx.Error(d.Node, LoadContext.Join(d.Path, "name"), "a CNAME cannot be at the zone apex (it would hide SOA and NS)");
                continue;
            }
            var other = records.FirstOrDefault(o => o.Config.Name == d.Config.Name && o.Config.Type != RecordType.CNAME);
            if (other is not null)
            {
                ctx.Error(d.Node, LoadContext.Join(d.Path, "name"),
                    $"a CNAME cannot coexist with other records at '{d.Config.Name}' ({other.Config.Type} at line {other.Node.Line})");
            }
        }
    }

    private static void ValidateAliases(LoadContext ctx, string zone, List<RecordDraft> records, HashSet<(string, RecordType)> sets)
    {
        foreach (var d in records.Where(d => d.Config.Alias is not null))
        {
            var target = d.Config.Alias!.Target;
            var at = d.NodeOr(d.AliasTargetNode);
            var path = LoadContext.Join(d.Path, "alias.target");
            if (!DomainName.IsInZone(target, zone))
            {
                ctx.Error(at, path, $"alias target '{target}' is outside zone '{zone}'");
            }
            else if (target == d.Config.Name)
            {
                ctx.Error(at, path, "a record cannot alias itself");
            }
            else if (!sets.Contains((target, d.Config.Type)))
            {
                var names = sets.Where(s => s.Item2 == d.Config.Type).Select(s => s.Item1);
                ctx.Error(at, path, $"alias target '{target}' has no {d.Config.Type} records in this zone{Suggestions.Hint(target, names)}");
            }
        }
    }

    /// <summary>A routed record with no health signal always answers, so the policy cannot route around a failure.</summary>
    private static void WarnNeverFailsOver(LoadContext ctx, List<RecordDraft> records)
    {
        foreach (var d in records)
        {
            if (d.Config.Routing is RoutingPolicy.Latency or RoutingPolicy.Failover or RoutingPolicy.Weighted
                && d.Config.HealthCheck is null && d.Config.Alias is not { EvaluateTargetHealth: true })
            {
                ctx.Warning(d.Node, d.Path,
                    $"{d.Config.Routing.Kind} record {d.Config.Name} {d.Config.Type} ({d.Config.SetId}) has no health_check and no alias with evaluate_target_health; it never fails over");
            }
        }
    }
}
