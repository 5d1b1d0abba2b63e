using Microsoft.Extensions.Logging;

namespace Meridian.Health;

/// <summary>
/// Probes one check from one location: every <c>Interval</c>, or every <c>ConfirmInterval</c> while a transition is
/// pending (failures before reaching <c>Fall</c>, or successes while Unhealthy before reaching <c>Rise</c>), so both
/// failover and failback are confirmed quickly; and, while Healthy/Unknown, a probe unanswered for
/// <c>ConfirmInterval</c> gets a hedged confirming probe in parallel (<see cref="ProbeSchedule"/>). Intervals are
/// measured from probe start. Results reach the threshold machine in start order (<see cref="InFlightProbes"/>).
/// </summary>
internal sealed class ProbeLoop
{
    private readonly CheckEntry _entry;
    private readonly IHealthProber _prober;
    private readonly HealthAggregator _aggregator;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _initialDelay;
    private readonly InFlightProbes _probes = new();
    private long _nextDueUtcTicks = long.MinValue;

    public ProbeLoop(CheckEntry entry, string location, TimeSpan initialDelay, IHealthProber prober,
        HealthAggregator aggregator, TimeProvider time, ILogger logger)
    {
        _entry = entry;
        Location = location;
        _initialDelay = initialDelay;
        _prober = prober;
        _aggregator = aggregator;
        _time = time;
        _logger = logger;
    }

    public string Location { get; }

    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// True when the loop is idle until after <paramref name="now"/>: waiting for a probe start due later (or only for
    /// probes in flight), with no finished probe left unconsumed. The wake time is published only after its timer
    /// exists (and reset while working), so a test clock advanced past it is sure to fire it; it is never later than
    /// the earliest probe deadline, so a probe whose timeout fired counts as work even before its result is delivered
    /// (continuations may be queued rather than run inline).
    /// </summary>
    public bool IsWaitingBeyond(DateTimeOffset now) =>
        Interlocked.Read(ref _nextDueUtcTicks) > now.UtcTicks && !_probes.AnyFinished;

    // Task.Run: the first probe is due at once and must not run on the caller (which holds the monitor lock).
    public void Start(CancellationToken stopping) => Completion = Task.Run(() => RunAsync(stopping), CancellationToken.None);

    private async Task RunAsync(CancellationToken stopping)
    {
        var config = _entry.Config;
        var settings = ProbeSchedule.Settings.From(config);
        var state = ThresholdState.Initial;
        DateTimeOffset? newestStart = null;
        DateTimeOffset? lastResultAt = null;
        DateTimeOffset? armed = null;
        var timerFired = false;
        var firstDue = _time.GetUtcNow() + _initialDelay;
        try
        {
            while (true)
            {
                // The timer may win the race against a stop request; never probe (or report) after stopping.
                stopping.ThrowIfCancellationRequested();
                foreach (var probe in _probes.TakeFinished())
                {
                    state = Apply(state, probe, stopping);
                    lastResultAt = _time.GetUtcNow();
                }

                var now = _time.GetUtcNow();
                var due = newestStart is { } newest
                    ? ProbeSchedule.NextStart(settings, new(state, newest, lastResultAt, _probes.Count, _probes.Pending))
                    : firstDue;
                // A fired timer counts as due even if the clock reads a hair earlier, as long as the decision held.
                if (due is { } start && (start <= now || (timerFired && start == armed)))
                {
                    newestStart = now;
                    _probes.Add(now, config.Timeout, ProbeRunner.RunAsync(_prober, config, Location, _time, stopping));
                    timerFired = false;
                    continue;
                }

                armed = due;
                timerFired = await WaitAsync(due, now, stopping).ConfigureAwait(false);
            }
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Stopped by the monitor (dispose or reload). A probe in flight may end with its own error (connection
            // refused) rather than a cancellation at that moment; either way the loop is done, and it must not fault
            // (that made HealthMonitor.DisposeAsync, and so MeridianHost.DisposeAsync, throw the probe's error).
        }
        finally
        {
            // Probes in flight were cancelled with the loop; the monitor disposes the prober once we complete.
            await _probes.DrainAsync().ConfigureAwait(false);
        }
    }

    private ThresholdState Apply(ThresholdState state, InFlightProbes.Probe probe, CancellationToken stopping)
    {
        var config = _entry.Config;
        if (!probe.Task.IsCompletedSuccessfully)
        {
            // ProbeRunner turns every probe error into a failed result; this is a bug, not a verdict on the endpoint.
            HealthLog.LoopError(_logger, config.Name, Location, probe.Task.Exception?.GetBaseException() ?? new OperationCanceledException());
            return state;
        }

        var result = probe.Task.Result;
        var next = ThresholdMachine.Next(state, result.Success, config.Rise, config.Fall);
        try
        {
            _aggregator.Report(
                new HealthObservation(config.Name, Location, next.Status, result.Latency, _time.GetUtcNow(), result.Reason, result.Success),
                _entry);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            HealthLog.LoopError(_logger, config.Name, Location, ex);
        }

        return next;
    }

    /// <summary>
    /// Waits until <paramref name="due"/> (null: no start planned) or until a probe in flight finishes; returns true
    /// when the timer fired.
    /// </summary>
    private async Task<bool> WaitAsync(DateTimeOffset? due, DateTimeOffset now, CancellationToken stopping)
    {
        using var timerCancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var delay = due is { } d ? d - now : Timeout.InfiniteTimeSpan;
        var timer = Task.Delay(delay > TimeSpan.Zero || delay == Timeout.InfiniteTimeSpan ? delay : TimeSpan.Zero, _time, timerCancel.Token);
        var finished = _probes.Count > 0 ? _probes.WhenAnyFinished() : timer;
        var waitingUntil = due is null ? long.MaxValue : delay > TimeSpan.Zero ? due.Value.UtcTicks : long.MinValue;
        waitingUntil = Math.Min(waitingUntil, _probes.EarliestDeadline.UtcTicks);
        Interlocked.Exchange(ref _nextDueUtcTicks, waitingUntil);
        var first = await Task.WhenAny(timer, finished).ConfigureAwait(false);
        Interlocked.Exchange(ref _nextDueUtcTicks, long.MinValue);
        // Cancel an unused timer so waits that ended on a result do not pile up timers on the clock.
        await timerCancel.CancelAsync().ConfigureAwait(false);
        return first == timer && timer.IsCompletedSuccessfully;
    }
}
