using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Health.Tests.Support;

/// <summary>
/// A <see cref="HealthMonitor"/> on a <see cref="FakeTimeProvider"/> with one <see cref="FakeProber"/> per check.
/// Time moves only through <see cref="AdvanceAsync"/>, which steps the clock and waits until every loop has probed
/// what was due and is waiting again, so assertions see a settled state.
/// </summary>
internal sealed class MonitorHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Dictionary<string, FakeProber> _probers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public MonitorHarness(TopologyConfig config, HealthEventLog? events = null)
    {
        Monitor = new HealthMonitor(config, Clock, NullLoggerFactory.Instance, Create, events);
    }

    public FakeTimeProvider Clock { get; } = new(Epoch);

    public HealthMonitor Monitor { get; }

    public List<string> Created { get; } = [];

    public TimeSpan Elapsed => Clock.GetUtcNow() - Epoch;

    public static TopologyConfig Topology(CheckersConfig? checkers = null, params HealthCheckConfig[] checks) =>
        new() { SourceFile = "test.yaml", Checkers = checkers ?? CheckersConfig.Default, HealthChecks = checks };

    public static HealthCheckConfig Http(string name, int rise = 2, int fall = 2, double intervalSeconds = 1) => new()
    {
        Name = name,
        Type = HealthCheckType.Http,
        Host = "127.0.0.1",
        Port = 80,
        Interval = TimeSpan.FromSeconds(intervalSeconds),
        Timeout = TimeSpan.FromMilliseconds(500),
        Rise = rise,
        Fall = fall,
        ConfirmInterval = TimeSpan.FromMilliseconds(250),
    };

    public FakeProber Prober(string check)
    {
        lock (_gate)
        {
            if (!_probers.TryGetValue(check, out var prober))
            {
                _probers[check] = prober = new FakeProber(Clock);
            }

            return prober;
        }
    }

    public HealthStatus Status(string check) => Monitor.Find(check)?.Status ?? throw new InvalidOperationException($"no check {check}");

    public async Task StartAsync()
    {
        Monitor.Start();
        await SettleAsync();
    }

    public async Task AdvanceAsync(TimeSpan total, TimeSpan? step = null)
    {
        var stepSize = step ?? TimeSpan.FromMilliseconds(10);
        var end = Clock.GetUtcNow() + total;
        while (Clock.GetUtcNow() < end)
        {
            var remaining = end - Clock.GetUtcNow();
            Step(remaining < stepSize ? remaining : stepSize);
            await SettleAsync();
        }
    }

    /// <summary>Advances in small steps until <paramref name="condition"/> holds; returns the fake time elapsed.</summary>
    public async Task<TimeSpan> AdvanceUntilAsync(Func<bool> condition, TimeSpan max, TimeSpan? step = null)
    {
        var start = Clock.GetUtcNow();
        var stepSize = step ?? TimeSpan.FromMilliseconds(10);
        while (!condition())
        {
            if (Clock.GetUtcNow() - start >= max)
            {
                throw new TimeoutException($"condition not reached within {max} of fake time");
            }

            Step(stepSize);
            await SettleAsync();
        }

        return Clock.GetUtcNow() - start;
    }

    /// <summary>
    /// Advances the clock without xunit's synchronization context: with one, the runtime queues the probe loops'
    /// ConfigureAwait(false) continuations instead of running them inside the timer callbacks, and a probe answering
    /// on the fake clock (a slow endpoint) could reach its loop only after the harness saw the loop settled.
    /// </summary>
    private void Step(TimeSpan step)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            Clock.Advance(step);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    public Task SettleAsync() => Wait.UntilAsync(() => Monitor.IsSettledAt(Clock.GetUtcNow()), "probe loops to settle");

    public ValueTask DisposeAsync() => Monitor.DisposeAsync();

    private IHealthProber Create(HealthCheckConfig check)
    {
        lock (_gate)
        {
            Created.Add(check.Name);
        }

        return Prober(check.Name);
    }
}
