using Meridian.Dns.Clients;
using Meridian.Dns.Zones;
using Meridian.Topology.Model;

namespace Meridian.Dns.Routing;

/// <summary>Geolocation, IP-based and multivalue policies.</summary>
internal sealed partial class PolicyEvaluator
{
    /// <summary>Route53 answers at most eight records for a multivalue query.</summary>
    public const int MaxMultivalueAnswers = 8;

    private bool EvaluateGeolocation(RecordSetNode set, ref ClientInfo client, SelectedRecords output, IResolveTracer? trace, int depth)
    {
        var where = context.Geo.Locate(ref client);
        trace?.Step(depth, $"client {client.Address}: location {where}");

        // Most specific first: subdivision, country, continent, then the default record.
        CompiledRecord? best = null;
        for (var level = 0; level < 4; level++)
        {
            foreach (var record in set.Records)
            {
                if (record.Config.Routing is not RoutingPolicy.Geolocation geo || !MatchesLevel(geo, where, level))
                {
                    continue;
                }

                best ??= record;
                if (TryEmitHealthy(record, ref client, output, trace, depth))
                {
                    return true;
                }
            }
        }

        if (best is null)
        {
            trace?.Step(depth, "no record matches this location and there is no default: empty answer");
            return false;
        }

        return AllUnhealthy(set, best, ref client, output, trace, depth);
    }

    private static bool MatchesLevel(RoutingPolicy.Geolocation geo, GeoLocation where, int level) => level switch
    {
        0 => geo.Subdivision is not null && Same(geo.Country, where.Country) && Same(geo.Subdivision, where.Subdivision),
        1 => geo.Subdivision is null && geo.Country is not null && Same(geo.Country, where.Country),
        2 => geo.Country is null && geo.Continent is not null && Same(geo.Continent, where.Continent),
        _ => geo.IsDefault,
    };

    private static bool Same(string? configured, string? actual) =>
        actual is not null && string.Equals(configured, actual, StringComparison.OrdinalIgnoreCase);

    private bool EvaluateIpBased(RecordSetNode set, ref ClientInfo client, SelectedRecords output, IResolveTracer? trace, int depth)
    {
        var collection = ((RoutingPolicy.IpBased)set.Records[0].Config.Routing).Collection;
        var location = context.Cidr.Locate(collection, ref client);
        trace?.Step(depth, $"client {client.Address}: CIDR collection {collection} location {location ?? "(none)"}");

        CompiledRecord? best = null;
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var record in set.Records)
            {
                var ip = (RoutingPolicy.IpBased)record.Config.Routing;
                var matches = pass == 0 ? location is not null && ip.LocationName == location : ip.IsDefault;
                if (!matches)
                {
                    continue;
                }

                best ??= record;
                if (TryEmitHealthy(record, ref client, output, trace, depth))
                {
                    return true;
                }
            }
        }

        if (best is null)
        {
            trace?.Step(depth, "no record for this location and no default (*): empty answer");
            return false;
        }

        return AllUnhealthy(set, best, ref client, output, trace, depth);
    }

    private bool EvaluateMultivalue(RecordSetNode set, ref ClientInfo client, SelectedRecords output, IResolveTracer? trace, int depth)
    {
        var records = set.Records;
        var start = Random.Shared.Next(records.Length);
        var emitted = 0;
        for (var k = 0; k < records.Length && emitted < MaxMultivalueAnswers; k++)
        {
            if (TryEmitHealthy(records[(start + k) % records.Length], ref client, output, trace, depth))
            {
                emitted++;
            }
        }

        if (emitted > 0)
        {
            return true;
        }

        if (set.WhenAllUnhealthy.Kind != AllUnhealthyKind.FailOpen)
        {
            return AllUnhealthy(set, records[start], ref client, output, trace, depth);
        }

        // Route53: with every record unhealthy, up to eight unhealthy records are returned.
        trace?.Step(depth, $"all records unhealthy: fail open with up to {MaxMultivalueAnswers}");
        for (var k = 0; k < records.Length && k < MaxMultivalueAnswers; k++)
        {
            EmitRegardless(records[(start + k) % records.Length], ref client, output, null, depth);
        }

        return false;
    }
}
