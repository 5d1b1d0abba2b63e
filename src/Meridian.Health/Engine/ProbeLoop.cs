using Microsoft.Extensions.Logging;

namespace Meridian.Health;

/// <summary>
/// Probes one check from one location: every <c>Interval</c>, or every <c>ConfirmInterval</c> while a transition is
/// pending (failures before reaching <c>Fall</c>, or successes while Unhealthy before reaching <c>Rise</c>), so both
/// failover and failback are confirmed quickly. Intervals are measured from probe start.
/// </summary>
internal sealed class ProbeLoop
{
    private readonly CheckEntry _entry;
    private readonly IHealthProber _prober;
    private readonly HealthAggregator _aggregator;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _initialDelay;
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
    /// True when the loop waits for a probe due after <paramref name="now"/>. The due time is published only after
    /// its timer exists (and reset while probing), so a test clock advanced past it is sure to fire it.
    /// </summary>
    public bool IsWaitingBeyond(DateTimeOffset now) => Interlocked.Read(ref _nextDueUtcTicks) > now.UtcTicks;

    // Task.Run: the first probe is due at once and must not run on the caller (which holds the monitor lock).
    public void Start(CancellationToken stopping) => Completion = Task.Run(() => RunAsync(stopping), CancellationToken.None);

    private async Task RunAsync(CancellationToken stopping)
    {
        var config = _entry.Config;
        var interval = config.Interval > TimeSpan.Zero ? config.Interval : TimeSpan.FromSeconds(10);
        var confirm = config.ConfirmInterval > TimeSpan.Zero && config.ConfirmInterval < interval ? config.ConfirmInterval : interval;
        var state = ThresholdState.Initial;
        var due = _time.GetUtcNow() + _initialDelay;
        try
        {
            while (true)
            {
                await WaitUntilAsync(due, stopping).ConfigureAwait(false);
                // The timer may win the race against a stop request; never probe after stopping.
                stopping.ThrowIfCancellationRequested();
                var started = _time.GetUtcNow();
                try
                {
                    var result = await ProbeRunner.RunAsync(_prober, config, Location, _time, stopping).ConfigureAwait(false);
                    state = ThresholdMachine.Next(state, result.Success, config.Rise, config.Fall);
                    _aggregator.Report(
                        new HealthObservation(config.Name, Location, state.Status, result.Latency, _time.GetUtcNow(), result.Reason, result.Success),
                        _entry);
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    HealthLog.LoopError(_logger, config.Name, Location, ex);
                }

                due = started + (state.IsConfirming ? confirm : interval);
            }
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Stopped by the monitor (dispose or reload). A probe in flight may end with its own error (connection
            // refused) rather than a cancellation at that moment; either way the loop is done, and it must not fault
            // (that made HealthMonitor.DisposeAsync, and so MeridianHost.DisposeAsync, throw the probe's error).
        }
    }

    private Task WaitUntilAsync(DateTimeOffset due, CancellationToken stopping)
    {
        var delay = due - _time.GetUtcNow();
        var wait = delay > TimeSpan.Zero ? Task.Delay(delay, _time, stopping) : Task.CompletedTask;
        Interlocked.Exchange(ref _nextDueUtcTicks, delay > TimeSpan.Zero ? due.UtcTicks : long.MinValue);
        return WaitAndMarkRunningAsync(wait);
    }

    private async Task WaitAndMarkRunningAsync(Task wait)
    {
        await wait.ConfigureAwait(false);
        Interlocked.Exchange(ref _nextDueUtcTicks, long.MinValue);
    }
}
