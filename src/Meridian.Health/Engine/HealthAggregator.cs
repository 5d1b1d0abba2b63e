using Microsoft.Extensions.Logging;

namespace Meridian.Health;

/// <summary>
/// Turns per-location observations into aggregated check status, recomputes calculated checks when a child changes,
/// and records every change as a <see cref="HealthEvent"/>. All mutation happens under one lock: observations are a
/// few per second, and the DNS read path never takes it (it reads <see cref="HealthCheckState.IsHealthy"/>).
/// </summary>
internal sealed class HealthAggregator(HealthEventLog events, ILogger logger, TimeProvider time)
{
    private readonly Lock _gate = new();
    // Events recorded under the lock, announced to subscribers after it is released (they may call back in).
    private readonly List<HealthEvent> _pending = [];
    private Dictionary<string, CheckEntry> _checks = new(StringComparer.Ordinal);
    private Dictionary<string, List<CheckEntry>> _parents = new(StringComparer.Ordinal);

    /// <summary>Replaces the set of checks, then settles disabled and calculated checks.</summary>
    public void Install(IReadOnlyList<CheckEntry> entries)
    {
        lock (_gate)
        {
            _checks = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
            var parents = new Dictionary<string, List<CheckEntry>>(StringComparer.Ordinal);
            foreach (var entry in entries.Where(e => e.IsCalculated))
            {
                foreach (var child in entry.Config.Children.Distinct(StringComparer.Ordinal))
                {
                    if (!parents.TryGetValue(child, out var list))
                    {
                        parents[child] = list = [];
                    }

                    list.Add(entry);
                }
            }

            _parents = parents;
            var now = time.GetUtcNow();
            foreach (var entry in entries.Where(e => e.Config.Disabled))
            {
                SetAggregate(entry, HealthStatus.Healthy, "disabled (always healthy)", null, now);
            }

            // Children may have changed under a kept calculated check: re-evaluate every calculated check.
            foreach (var entry in entries.Where(e => e.IsCalculated && !e.Config.Disabled))
            {
                RecomputeCalculated(entry, now);
            }
        }

        NotifyPending();
    }

    /// <summary>Accepts an observation; <paramref name="from"/> (local loops) guards against reports of stopped loops.</summary>
    public void Report(HealthObservation observation, CheckEntry? from = null)
    {
        ReportLocked(observation, from);
        NotifyPending();
    }

    private void ReportLocked(HealthObservation observation, CheckEntry? from)
    {
        lock (_gate)
        {
            if (!_checks.TryGetValue(observation.Check, out var entry)
                || (from is not null && !ReferenceEquals(entry, from))
                || !entry.IsProbed
                || !entry.LocationStatus.TryGetValue(observation.Location, out var old))
            {
                HealthLog.Ignored(logger, observation.Check, observation.Location);
                return;
            }

            if (old == observation.Status)
            {
                // No change; just remember the latest latency.
                entry.State.Apply(entry.State.Status, "", observation.Latency, observation.Time);
                return;
            }

            entry.LocationStatus[observation.Location] = observation.Status;
            Publish(new HealthEvent(observation.Time, entry.Name, observation.Location, old, observation.Status,
                observation.Reason, observation.Latency));

            int healthy = 0, unhealthy = 0, unknown = 0;
            foreach (var status in entry.LocationStatus.Values)
            {
                switch (status)
                {
                    case HealthStatus.Healthy: healthy++; break;
                    case HealthStatus.Unhealthy: unhealthy++; break;
                    default: unknown++; break;
                }
            }

            var (aggregate, reason) = QuorumRule.Evaluate(healthy, unhealthy, unknown, entry.Fraction);
            if (entry.Locations.Length == 1 || aggregate != HealthStatus.Healthy)
            {
                // Keep the probe's own words ("HTTP 503 ...") visible in the aggregated event.
                reason = $"{reason}; {observation.Location}: {observation.Reason}";
            }

            SetAggregate(entry, aggregate, reason, observation.Latency, observation.Time);
        }
    }

    private void SetAggregate(CheckEntry entry, HealthStatus status, string reason, TimeSpan? latency, DateTimeOffset at)
    {
        var old = entry.State.Apply(status, reason, latency, at);
        if (old is null)
        {
            return;
        }

        Publish(new HealthEvent(at, entry.Name, null, old.Value, status, reason, latency));
        PropagateFrom(entry.Name, at);
    }

    /// <summary>
    /// Re-evaluates calculated parents breadth-first. A parent may be evaluated more than once (diamonds), but the
    /// number of evaluations is bounded so a cycle the loader missed cannot spin forever.
    /// </summary>
    private void PropagateFrom(string changed, DateTimeOffset at)
    {
        if (!_parents.ContainsKey(changed))
        {
            return;
        }

        var budget = 4 * _checks.Count + 16;
        var queue = new Queue<string>();
        queue.Enqueue(changed);
        while (queue.Count > 0 && budget > 0)
        {
            if (!_parents.TryGetValue(queue.Dequeue(), out var parents))
            {
                continue;
            }

            foreach (var parent in parents)
            {
                if (budget-- <= 0)
                {
                    break;
                }

                if (!parent.Config.Disabled && RecomputeCalculated(parent, at, propagate: false))
                {
                    queue.Enqueue(parent.Name);
                }
            }
        }
    }

    /// <summary>Returns true when the calculated check's status changed.</summary>
    private bool RecomputeCalculated(CheckEntry entry, DateTimeOffset at, bool propagate = true)
    {
        var children = new HealthStatus[entry.Config.Children.Count];
        for (var i = 0; i < children.Length; i++)
        {
            children[i] = _checks.TryGetValue(entry.Config.Children[i], out var child) ? child.State.Status : HealthStatus.Unknown;
        }

        var (status, reason) = CalculatedRuleEvaluator.Evaluate(entry.Config.Rule, entry.Config.AtLeast, children, entry.UnknownIs);
        var old = entry.State.Apply(status, reason, null, at);
        if (old is null)
        {
            return false;
        }

        Publish(new HealthEvent(at, entry.Name, null, old.Value, status, reason, null));
        if (propagate)
        {
            PropagateFrom(entry.Name, at);
        }

        return true;
    }

    private void Publish(HealthEvent healthEvent)
    {
        // Recorded under the lock so the ring's order matches the order of state changes.
        events.Record(healthEvent);
        HealthLog.Changed(logger, healthEvent);
        _pending.Add(healthEvent);
    }

    private void NotifyPending()
    {
        HealthEvent[] batch;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            batch = [.. _pending];
            _pending.Clear();
        }

        foreach (var healthEvent in batch)
        {
            events.Notify(healthEvent);
        }
    }
}
