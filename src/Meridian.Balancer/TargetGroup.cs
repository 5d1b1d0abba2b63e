using Meridian.Topology.Model;
using Microsoft.Extensions.Logging;

namespace Meridian.Balancer;

/// <summary>
/// The target group: registered targets, their state machine, destination selection and fail-open. One lock guards
/// all of it (selection is a short scan; a balancer has few targets). Events are recorded under the lock, so the log
/// order matches the state order, and subscribers are notified after it is released.
/// </summary>
internal sealed class TargetGroup
{
    private readonly string _name;
    private readonly TimeProvider _time;
    private readonly BalancerEventLog _events;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    // Registration order: round robin walks it, so distribution is stable and predictable.
    private readonly List<Target> _active = [];
    private readonly List<Target> _draining = [];
    private readonly List<BalancerEvent> _pending = [];
    private long _next;
    private bool _failOpen;

    public TargetGroup(string name, TimeProvider time, BalancerEventLog events, ILogger logger)
    {
        _name = name;
        _time = time;
        _events = events;
        _logger = logger;
    }

    public BalancingAlgorithm Algorithm { get; set; }

    public int HealthyCount
    {
        get
        {
            lock (_gate)
            {
                return _active.Count(t => t.State == TargetState.Healthy);
            }
        }
    }

    public bool IsFailOpen
    {
        get
        {
            lock (_gate)
            {
                return _failOpen;
            }
        }
    }

    /// <summary>Registers a target in <see cref="TargetState.Initial"/>; null when it is already registered.</summary>
    public Target? Add(TargetConfig config)
    {
        Target target;
        lock (_gate)
        {
            if (_active.Any(t => t.Config == config))
            {
                return null;
            }

            target = new Target(config, _time.GetUtcNow());
            _active.Add(target);
            Record(BalancerEventKind.TargetRegistered, target, null, TargetState.Initial, target.Reason);
            UpdateFailOpen();
        }

        Flush();
        return target;
    }

    /// <summary>Moves a target to <see cref="TargetState.Draining"/>: no new requests from now on.</summary>
    public Target? BeginDrain(TargetConfig config, TimeSpan delay)
    {
        Target? target;
        lock (_gate)
        {
            target = _active.FirstOrDefault(t => t.Config == config);
            if (target is null)
            {
                return null;
            }

            _active.Remove(target);
            _draining.Add(target);
            SetState(target, TargetState.Draining, $"deregistered: draining {target.InFlight} in-flight requests for up to {delay}");
            if (target.InFlight == 0)
            {
                target.Idle.TrySetResult();
            }

            UpdateFailOpen();
        }

        Flush();
        return target;
    }

    /// <summary>Drops a drained target and aborts whatever it still serves.</summary>
    public void Remove(Target target, string reason)
    {
        lock (_gate)
        {
            if (!_draining.Remove(target) && !_active.Remove(target))
            {
                return;
            }

            Record(BalancerEventKind.TargetRemoved, target, target.State, null, reason);
            UpdateFailOpen();
        }

        Flush();
        target.Removed.Cancel();
        target.Gone.TrySetResult();
    }

    public void ReportCheck(Target target, bool success, string reason, TargetHealthConfig health)
    {
        lock (_gate)
        {
            var next = TargetHealthMachine.Next(target.State, target.Successes, target.Failures, success,
                health.HealthyThreshold, health.UnhealthyThreshold);
            target.Successes = next.Successes;
            target.Failures = next.Failures;
            if (next.State != target.State)
            {
                var threshold = next.State == TargetState.Healthy ? health.HealthyThreshold : health.UnhealthyThreshold;
                SetState(target, next.State, $"{reason} ({threshold} consecutive)");
                UpdateFailOpen();
            }
        }

        Flush();
    }

    /// <summary>A proxied request could not reach the target: unhealthy at once, the active checker brings it back.</summary>
    public void ReportPassiveFailure(Target target, string reason)
    {
        lock (_gate)
        {
            if (target.State is TargetState.Draining or TargetState.Unhealthy || !_active.Contains(target))
            {
                return;
            }

            target.Successes = 0;
            target.Failures = 0;
            SetState(target, TargetState.Unhealthy, $"request failed: {reason}");
            UpdateFailOpen();
        }

        Flush();
    }

    /// <summary>
    /// Picks a destination among healthy targets (all registered ones when failing open), skipping
    /// <paramref name="exclude"/>, and counts the request in flight. Null when none can take it.
    /// </summary>
    public Target? Acquire(Target? exclude)
    {
        lock (_gate)
        {
            var anyHealthy = _active.Any(t => t.State == TargetState.Healthy);
            Target? best = null;
            var count = _active.Count;
            var start = count == 0 ? 0 : (int)(_next % count);
            for (var i = 0; i < count; i++)
            {
                var candidate = _active[(start + i) % count];
                if (candidate == exclude || (anyHealthy && candidate.State != TargetState.Healthy) || (!anyHealthy && !_failOpen))
                {
                    continue;
                }

                if (best is null)
                {
                    best = candidate;
                    if (Algorithm == BalancingAlgorithm.RoundRobin)
                    {
                        break;
                    }
                }
                else if (candidate.InFlight < best.InFlight)
                {
                    // Least outstanding requests; ties go to the first in rotation order, which spreads idle load.
                    best = candidate;
                }
            }

            if (best is null)
            {
                return null;
            }

            // Continue after the chosen one, so skipped (unhealthy) targets do not make a neighbour get double turns.
            _next = _active.IndexOf(best) + 1;
            best.InFlight++;
            return best;
        }
    }

    public void Release(Target target)
    {
        lock (_gate)
        {
            target.InFlight--;
            if (target.InFlight == 0 && target.State == TargetState.Draining)
            {
                target.Idle.TrySetResult();
            }
        }
    }

    public IReadOnlyList<TargetStatus> Snapshot()
    {
        lock (_gate)
        {
            return [.. _active.Select(t => t.ToStatus()), .. _draining.Select(t => t.ToStatus())];
        }
    }

    /// <summary>Every target, draining ones included (for shutdown and test synchronisation).</summary>
    public IReadOnlyList<Target> All()
    {
        lock (_gate)
        {
            return [.. _active, .. _draining];
        }
    }

    public Target? FindDraining(TargetConfig config)
    {
        lock (_gate)
        {
            return _draining.FirstOrDefault(t => t.Config == config);
        }
    }

    private void SetState(Target target, TargetState state, string reason)
    {
        var old = target.State;
        target.State = state;
        target.Reason = reason;
        target.LastChange = _time.GetUtcNow();
        Record(BalancerEventKind.TargetStateChanged, target, old, state, reason);
    }

    // ALB fails open when no target is healthy; we require at least one Unhealthy one so a fresh group whose targets
    // are all still Initial does not get traffic before any of them passed a check.
    private void UpdateFailOpen()
    {
        var failOpen = _active.Count > 0
            && !_active.Any(t => t.State == TargetState.Healthy)
            && _active.Any(t => t.State == TargetState.Unhealthy);
        if (failOpen == _failOpen)
        {
            return;
        }

        _failOpen = failOpen;
        if (failOpen)
        {
            Record(BalancerEventKind.FailOpenStarted, null, null, null, $"all {_active.Count} targets unhealthy: failing open");
        }
        else
        {
            var healthy = _active.Count(t => t.State == TargetState.Healthy);
            Record(BalancerEventKind.FailOpenEnded, null, null, null,
                healthy > 0 ? $"{healthy} of {_active.Count} targets healthy: fail-open ended" : "no registered targets: fail-open ended");
        }
    }

    private void Record(BalancerEventKind kind, Target? target, TargetState? old, TargetState? state, string reason)
    {
        var e = new BalancerEvent(_time.GetUtcNow(), _name, kind, target?.Key, old, state, reason);
        _events.Record(e);
        _pending.Add(e);
    }

    private void Flush()
    {
        BalancerEvent[] events;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            events = [.. _pending];
            _pending.Clear();
        }

        foreach (var e in events)
        {
            BalancerLog.Event(_logger, e);
            _events.Notify(e);
        }
    }
}
