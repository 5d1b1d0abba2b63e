using System.Collections.Concurrent;

namespace Meridian.Health.Tests.Support;

/// <summary>A scripted prober: each location is up or down; records every probe with the fake clock's time.</summary>
internal sealed class FakeProber(TimeProvider time) : IHealthProber
{
    private readonly ConcurrentDictionary<string, bool> _up = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(DateTimeOffset Time, string Location)> _probes = new();
    private volatile bool _defaultUp = true;

    public IReadOnlyList<(DateTimeOffset Time, string Location)> Probes => [.. _probes];

    /// <summary>Sets every location (present and future) up or down.</summary>
    public void SetUp(bool up)
    {
        _defaultUp = up;
        _up.Clear();
    }

    public void SetUp(string location, bool up) => _up[location] = up;

    public ValueTask<ProbeResult> ProbeAsync(string location, CancellationToken cancellationToken)
    {
        _probes.Enqueue((time.GetUtcNow(), location));
        var up = _up.TryGetValue(location, out var value) ? value : _defaultUp;
        return ValueTask.FromResult(up
            ? ProbeResult.Pass("HTTP 200", TimeSpan.FromMilliseconds(5))
            : ProbeResult.Fail("HTTP 503 (expected 200-399)", TimeSpan.FromMilliseconds(5)));
    }
}
