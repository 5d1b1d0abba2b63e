using Meridian.Dns.Clients;
using Meridian.Dns.Zones;
using Meridian.Topology.Model;

namespace Meridian.Dns.Routing;

/// <summary>
/// Evaluates a record set's routing policy for one client, Route53 style: candidates in policy order, the first
/// healthy one wins; an alias with evaluate-target-health is healthy when its target set yields a healthy answer,
/// so trees (latency → failover → weighted) nest. When nothing is healthy the set's all-unhealthy behaviour
/// applies. Allocation-free: output goes to a reused buffer and candidate bookkeeping uses bit masks.
/// </summary>
internal sealed partial class PolicyEvaluator(RoutingContext context)
{
    /// <summary>Alias nesting limit; the loader rejects cycles, this guards the answer path regardless.</summary>
    public const int MaxDepth = 8;

    /// <summary>Adds the chosen records to <paramref name="output"/>. Returns true when they are healthy.</summary>
    public bool Evaluate(RecordSetNode set, ref ClientInfo client, SelectedRecords output, IResolveTracer? trace, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            trace?.Step(depth, $"{set}: alias depth limit {MaxDepth} reached, no answer");
            return false;
        }

        trace?.Step(depth, $"{set.Owner.Name} {set.Type}: {set.Kind.ToString().ToLowerInvariant()} policy over {set.Records.Length} record(s)");
        return set.Kind switch
        {
            PolicyKind.Failover => EvaluateFailover(set, ref client, output, trace, depth),
            PolicyKind.Latency => EvaluateLatency(set, ref client, output, trace, depth),
            PolicyKind.Weighted => EvaluateWeighted(set, ref client, output, trace, depth),
            PolicyKind.Geolocation => EvaluateGeolocation(set, ref client, output, trace, depth),
            PolicyKind.IpBased => EvaluateIpBased(set, ref client, output, trace, depth),
            PolicyKind.Multivalue => EvaluateMultivalue(set, ref client, output, trace, depth),
            _ => EvaluateSimple(set, ref client, output, trace, depth),
        };
    }

    private bool EvaluateSimple(RecordSetNode set, ref ClientInfo client, SelectedRecords output, IResolveTracer? trace, int depth)
    {
        var record = set.Records[0];
        return TryEmitHealthy(record, ref client, output, trace, depth) || AllUnhealthy(set, record, ref client, output, trace, depth);
    }

    private bool EvaluateFailover(RecordSetNode set, ref ClientInfo client, SelectedRecords output, IResolveTracer? trace, int depth)
    {
        CompiledRecord? primary = null, secondary = null;
        foreach (var record in set.Records)
        {
            if (record.Config.Routing is RoutingPolicy.Failover { Role: FailoverRole.Primary })
            {
                primary = record;
            }
            else
            {
                secondary = record;
            }
        }

        if (primary is not null && TryEmitHealthy(primary, ref client, output, trace, depth))
        {
            return true;
        }

        if (secondary is not null && TryEmitHealthy(secondary, ref client, output, trace, depth))
        {
            return true;
        }

        return AllUnhealthy(set, primary ?? secondary!, ref client, output, trace, depth);
    }

    private bool EvaluateLatency(RecordSetNode set, ref ClientInfo client, SelectedRecords output, IResolveTracer? trace, int depth)
    {
        var rtts = context.Latency.RttFor(ref client, out var measured);
        if (trace is not null)
        {
            TraceLatency(trace, depth, client.Address, rtts, measured);
        }

        var records = set.Records;
        ulong tried = 0;
        CompiledRecord? best = null;
        for (var round = 0; round < records.Length && round < 64; round++)
        {
            var next = -1;
            for (var i = 0; i < records.Length && i < 64; i++)
            {
                if ((tried & (1UL << i)) == 0 && (next < 0 || RttOf(records[i], rtts) < RttOf(records[next], rtts)))
                {
                    next = i;
                }
            }

            tried |= 1UL << next;
            best ??= records[next];
            if (TryEmitHealthy(records[next], ref client, output, trace, depth))
            {
                return true;
            }
        }

        return AllUnhealthy(set, best!, ref client, output, trace, depth);
    }

    // Kept out of EvaluateLatency: a lambda capturing `rtts` there made the compiler allocate its closure (24 B) at
    // method entry on every query, traced or not (AnswerPathAllocationTests).
    private void TraceLatency(IResolveTracer trace, int depth, ClientAddress address, int[] rtts, bool measured)
    {
        var names = context.Latency.RegionNames;
        trace.Step(depth, measured
            ? $"client {address}: latency " + string.Join(", ", names.Select((n, i) => $"{n} {rtts[i]} ms"))
            : $"client {address}: no latency entry, regions ranked in declaration order ({string.Join(", ", names)})");
    }

    private static int RttOf(CompiledRecord record, int[] rtts) =>
        record.RegionIndex >= 0 && record.RegionIndex < rtts.Length ? rtts[record.RegionIndex] : int.MaxValue;

    private bool EvaluateWeighted(RecordSetNode set, ref ClientInfo client, SelectedRecords output, IResolveTracer? trace, int depth)
    {
        var records = set.Records;
        ulong healthy = 0;
        long positiveWeight = 0;
        var zeroWeightHealthy = 0;
        for (var i = 0; i < records.Length && i < 64; i++)
        {
            var mark = output.Mark();
            if (TryEmitHealthy(records[i], ref client, output, trace, depth))
            {
                healthy |= 1UL << i;
                positiveWeight += records[i].Weight;
                zeroWeightHealthy += records[i].Weight == 0 ? 1 : 0;
            }

            output.Rollback(mark);
        }

        if (positiveWeight > 0)
        {
            var chosen = PickWeighted(records, healthy, positiveWeight);
            trace?.Step(depth, $"weighted pick among healthy records (total weight {positiveWeight}): [{chosen.SetId}] weight {chosen.Weight}");
            EmitRegardless(chosen, ref client, output, null, depth);
            return true;
        }

        if (zeroWeightHealthy > 0)
        {
            // Route53: weight-0 records answer only when every record with a weight is unhealthy.
            var chosen = PickUniform(records, healthy, zeroWeightHealthy);
            trace?.Step(depth, $"all weighted records unhealthy; weight-0 record [{chosen.SetId}] answers");
            EmitRegardless(chosen, ref client, output, null, depth);
            return true;
        }

        long totalWeight = records.Sum(r => (long)r.Weight);
        var all = records.Length >= 64 ? ulong.MaxValue : (1UL << records.Length) - 1;
        var fallback = totalWeight > 0 ? PickWeighted(records, all, totalWeight) : PickUniform(records, all, Math.Min(records.Length, 64));
        return AllUnhealthy(set, fallback, ref client, output, trace, depth);
    }

    private static CompiledRecord PickWeighted(CompiledRecord[] records, ulong mask, long total)
    {
        var ticket = Random.Shared.NextInt64(total);
        for (var i = 0; i < records.Length && i < 64; i++)
        {
            if ((mask & (1UL << i)) != 0 && records[i].Weight > 0)
            {
                ticket -= records[i].Weight;
                if (ticket < 0)
                {
                    return records[i];
                }
            }
        }

        return records[0];
    }

    private static CompiledRecord PickUniform(CompiledRecord[] records, ulong mask, int count)
    {
        var ticket = Random.Shared.Next(count);
        for (var i = 0; i < records.Length && i < 64; i++)
        {
            if ((mask & (1UL << i)) != 0 && ticket-- == 0)
            {
                return records[i];
            }
        }

        return records[0];
    }
}
