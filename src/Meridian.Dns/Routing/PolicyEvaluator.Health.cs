using Meridian.Dns.Clients;
using Meridian.Dns.Zones;
using Meridian.Topology.Model;

namespace Meridian.Dns.Routing;

/// <summary>Record health and the all-unhealthy behaviours.</summary>
internal sealed partial class PolicyEvaluator
{
    /// <summary>
    /// Emits the record if it is healthy: its own health check passes and, for an alias that evaluates target
    /// health, its target set answers from healthy records. Otherwise leaves the output as it was.
    /// </summary>
    private bool TryEmitHealthy(CompiledRecord record, ref ClientInfo client, SelectedRecords output, IResolveTracer? trace, int depth)
    {
        if (record.Health is { IsHealthy: false } health)
        {
            trace?.Step(depth, $"[{record.SetId}] unhealthy: check {health.Name} is {health.Status} ({health.LastReason ?? "no reason yet"})");
            return false;
        }

        if (record.AliasTarget is { } target)
        {
            var mark = output.Mark();
            trace?.Step(depth, $"[{record.SetId}] alias to {target.Owner.Name}{(record.EvaluateTargetHealth ? " (evaluate target health)" : "")}{HealthNote(record)}");
            var targetHealthy = Evaluate(target, ref client, output, trace, depth + 1);
            if (record.EvaluateTargetHealth && !targetHealthy)
            {
                output.Rollback(mark);
                trace?.Step(depth, $"[{record.SetId}] unhealthy: alias target {target.Owner.Name} has no healthy answer");
                return false;
            }

            return true;
        }

        trace?.Step(depth, $"[{record.SetId}] healthy{HealthNote(record)}: {string.Join(", ", record.Config.Values)}");
        output.Add(record.Rdata, record.Ttl);
        return true;
    }

    private static string HealthNote(CompiledRecord record) =>
        record.Health is { } h ? $" (check {h.Name}: {h.Status}{(h.LastLatency is { } l ? $", {l.TotalMilliseconds:0.#} ms" : "")})" : "";

    /// <summary>Emits the record whatever its health (fail-open answers).</summary>
    private void EmitRegardless(CompiledRecord record, ref ClientInfo client, SelectedRecords output, IResolveTracer? trace, int depth)
    {
        if (record.AliasTarget is { } target)
        {
            Evaluate(target, ref client, output, trace, depth + 1);
            return;
        }

        output.Add(record.Rdata, record.Ttl);
    }

    private bool AllUnhealthy(RecordSetNode set, CompiledRecord best, ref ClientInfo client, SelectedRecords output, IResolveTracer? trace, int depth)
    {
        switch (set.WhenAllUnhealthy.Kind)
        {
            case AllUnhealthyKind.FailClosed:
                trace?.Step(depth, "all records unhealthy: fail closed (empty answer)");
                break;
            case AllUnhealthyKind.Fallback:
                trace?.Step(depth, $"all records unhealthy: fallback {string.Join(", ", set.WhenAllUnhealthy.FallbackValues)}");
                output.Add(set.FallbackRdata, set.FallbackTtl);
                break;
            default:
                trace?.Step(depth, $"all records unhealthy: fail open with [{best.SetId}]");
                EmitRegardless(best, ref client, output, trace, depth);
                break;
        }

        return false;
    }
}
