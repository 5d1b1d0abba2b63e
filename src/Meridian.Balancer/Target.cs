using Meridian.Topology.Model;

namespace Meridian.Balancer;

/// <summary>
/// One registered target. State fields are guarded by the owning <see cref="TargetGroup"/>'s lock; the check loop's
/// progress fields are atomics so tests can wait on them.
/// </summary>
internal sealed class Target
{
    private long _checksCompleted;
    private long _nextCheckDueUtcTicks = long.MinValue;

    public Target(TargetConfig config, DateTimeOffset now)
    {
        Config = config;
        Key = config.ToString();
        Prefix = $"http://{Key}/";
        LastChange = now;
    }

    public TargetConfig Config { get; }

    /// <summary>"host:port", the name used in events, logs and counters.</summary>
    public string Key { get; }

    /// <summary>The forwarding destination prefix.</summary>
    public string Prefix { get; }

    public TargetState State { get; set; } = TargetState.Initial;
    public string Reason { get; set; } = "registered: waiting for health checks";
    public DateTimeOffset LastChange { get; set; }
    public int Successes { get; set; }
    public int Failures { get; set; }
    public int InFlight { get; set; }

    /// <summary>Stops the active check loop (deregistration or shutdown).</summary>
    public CancellationTokenSource ChecksStopping { get; } = new();

    /// <summary>Cancelled when the target is removed: requests still in flight then are aborted (ALB closes them).</summary>
    public CancellationTokenSource Removed { get; } = new();

    /// <summary>Completed when a draining target has no request in flight.</summary>
    public TaskCompletionSource Idle { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when the target left the group (a second deregistration waits on it).</summary>
    public TaskCompletionSource Gone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task CheckLoop { get; set; } = Task.CompletedTask;

    public long ChecksCompleted => Interlocked.Read(ref _checksCompleted);

    public void CheckCompleted() => Interlocked.Increment(ref _checksCompleted);

    /// <summary>
    /// True when the check loop waits for a timer due after <paramref name="now"/>; published only once the timer
    /// exists, so a test clock advanced past it is sure to fire it.
    /// </summary>
    public bool IsWaitingBeyond(DateTimeOffset now) => Interlocked.Read(ref _nextCheckDueUtcTicks) > now.UtcTicks;

    public void SetNextCheckDue(DateTimeOffset? due) =>
        Interlocked.Exchange(ref _nextCheckDueUtcTicks, due?.UtcTicks ?? long.MinValue);

    public TargetStatus ToStatus() => new(Config, State, Reason, LastChange, InFlight);
}
