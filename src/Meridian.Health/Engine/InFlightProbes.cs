namespace Meridian.Health;

/// <summary>
/// The probes one loop has started and not yet consumed, in start order, and which results still count. Results are
/// applied in start order as soon as they arrive; a result that arrives after a later-started probe's result has been
/// applied is overtaken (old news about the endpoint) and ignored. Without overlap this is exactly "every result, in
/// order"; with a hedge it means two overlapping time-outs count as two consecutive failures, while a hung probe
/// whose hedge already answered cannot add a stale failure afterwards.
/// Owned by the loop; only <see cref="AnyFinished"/> is read from other threads.
/// </summary>
internal sealed class InFlightProbes
{
    private readonly List<Probe> _probes = [];
    // Copy of the tasks for readers on other threads (the test harness asking whether the loop is idle).
    private volatile Task[] _tasks = [];
    private long _lastSequence;
    private long _lastApplied;

    /// <param name="Deadline">When the probe's timeout ends it at the latest (MaxValue without a timeout).</param>
    public readonly record struct Probe(long Sequence, DateTimeOffset Started, DateTimeOffset Deadline, Task<ProbeResult> Task);

    public int Count => _probes.Count;

    /// <summary>Probes still running whose result will count (started after the last applied result's probe).</summary>
    public int Pending => _probes.Count(p => p.Sequence > _lastApplied);

    /// <summary>True when some probe has finished but the loop has not consumed it yet. Thread-safe.</summary>
    public bool AnyFinished => Array.Exists(_tasks, t => t.IsCompleted);

    /// <summary>The earliest deadline of the probes in flight (MaxValue when none): the loop is busy by then.</summary>
    public DateTimeOffset EarliestDeadline => _probes.Count == 0 ? DateTimeOffset.MaxValue : _probes.Min(p => p.Deadline);

    public void Add(DateTimeOffset started, TimeSpan timeout, Task<ProbeResult> task)
    {
        var deadline = timeout > TimeSpan.Zero && DateTimeOffset.MaxValue - started > timeout ? started + timeout : DateTimeOffset.MaxValue;
        _probes.Add(new Probe(++_lastSequence, started, deadline, task));
        Publish();
    }

    public Task WhenAnyFinished() => Task.WhenAny(_probes.Select(p => p.Task));

    /// <summary>Removes the finished probes; returns, in start order, those whose result counts.</summary>
    public List<Probe> TakeFinished()
    {
        var counting = new List<Probe>();
        for (var i = 0; i < _probes.Count;)
        {
            var probe = _probes[i];
            if (!probe.Task.IsCompleted)
            {
                i++;
                continue;
            }

            _probes.RemoveAt(i);
            if (probe.Sequence > _lastApplied)
            {
                _lastApplied = probe.Sequence;
                counting.Add(probe);
            }
        }

        Publish();
        return counting;
    }

    /// <summary>Waits for every probe still running (they were cancelled by the stop), ignoring how they ended.</summary>
    public async Task DrainAsync()
    {
        foreach (var probe in _probes)
        {
            try
            {
                await probe.Task.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Stopping: a cancelled probe, or one that failed with its own error at that moment, is no result.
            }
        }

        _probes.Clear();
        Publish();
    }

    private void Publish() => _tasks = [.. _probes.Select(p => p.Task)];
}
