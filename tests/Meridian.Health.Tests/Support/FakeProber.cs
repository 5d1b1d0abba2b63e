using System.Collections.Concurrent;

namespace Meridian.Health.Tests.Support;

/// <summary>
/// A scripted prober: each location is up or down; records every probe with the fake clock's time. By default a
/// probe answers at once; <see cref="SetHung"/> makes new probes accept and never answer (they end only when the
/// monitor's timeout cancels them), <see cref="SetLatency"/> makes them answer after a delay on the fake clock.
/// Counts probes in flight per location.
/// </summary>
internal sealed class FakeProber(TimeProvider time) : IHealthProber
{
    private readonly ConcurrentDictionary<string, bool> _up = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(DateTimeOffset Time, string Location)> _probes = new();
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _maxInFlight = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private volatile bool _defaultUp = true;
    private volatile bool _hung;
    private TimeSpan _latency;

    public IReadOnlyList<(DateTimeOffset Time, string Location)> Probes => [.. _probes];

    /// <summary>Probe start times relative to <see cref="MonitorHarness.Epoch"/>.</summary>
    public IReadOnlyList<TimeSpan> Starts => [.. _probes.Select(p => p.Time - MonitorHarness.Epoch)];

    /// <summary>Sets every location (present and future) up or down.</summary>
    public void SetUp(bool up)
    {
        _defaultUp = up;
        _up.Clear();
    }

    public void SetUp(string location, bool up) => _up[location] = up;

    /// <summary>New probes hang (accepted, never answered) until cancelled; probes already running are unaffected.</summary>
    public void SetHung(bool hung) => _hung = hung;

    /// <summary>New probes answer after <paramref name="latency"/> of fake time (zero: at once).</summary>
    public void SetLatency(TimeSpan latency)
    {
        lock (_gate)
        {
            _latency = latency;
        }
    }

    public int InFlight(string location)
    {
        lock (_gate)
        {
            return _inFlight.GetValueOrDefault(location);
        }
    }

    /// <summary>The most probes ever in flight at once for <paramref name="location"/> since the last reset.</summary>
    public int MaxInFlight(string location)
    {
        lock (_gate)
        {
            return _maxInFlight.GetValueOrDefault(location);
        }
    }

    public void ResetMaxInFlight()
    {
        lock (_gate)
        {
            foreach (var location in _maxInFlight.Keys.ToArray())
            {
                _maxInFlight[location] = _inFlight.GetValueOrDefault(location);
            }
        }
    }

    public ValueTask<ProbeResult> ProbeAsync(string location, CancellationToken cancellationToken)
    {
        _probes.Enqueue((time.GetUtcNow(), location));
        var up = _up.TryGetValue(location, out var value) ? value : _defaultUp;
        var result = up
            ? ProbeResult.Pass("HTTP 200", TimeSpan.FromMilliseconds(5))
            : ProbeResult.Fail("HTTP 503 (expected 200-399)", TimeSpan.FromMilliseconds(5));
        TimeSpan latency;
        lock (_gate)
        {
            latency = _latency;
        }

        if (!_hung && latency <= TimeSpan.Zero)
        {
            return ValueTask.FromResult(result);
        }

        // Synchronous continuations on purpose: the result reaches the loop inside FakeTimeProvider.Advance, so the
        // harness never sees a loop "settled" with a finished probe still on its way.
        var answer = new TaskCompletionSource<ProbeResult>();
        Entered(location);
        var registration = cancellationToken.Register(() => answer.TrySetCanceled(cancellationToken));
        var timer = _hung ? null : time.CreateTimer(_ => answer.TrySetResult(result with { Latency = latency }), null, latency, Timeout.InfiniteTimeSpan);
        answer.Task.ContinueWith(_ =>
        {
            Left(location);
            registration.Dispose();
            timer?.Dispose();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return new ValueTask<ProbeResult>(answer.Task);
    }

    private void Entered(string location)
    {
        lock (_gate)
        {
            var now = _inFlight[location] = _inFlight.GetValueOrDefault(location) + 1;
            _maxInFlight[location] = Math.Max(now, _maxInFlight.GetValueOrDefault(location));
        }
    }

    private void Left(string location)
    {
        lock (_gate)
        {
            _inFlight[location]--;
        }
    }
}
