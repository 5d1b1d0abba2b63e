namespace Meridian.Storage.Replication;

/// <summary>Counters and a latency window for one rule; thread-safe (lanes finish items concurrently).</summary>
internal sealed class ReplicationMetrics(string store, string bucket, string rule, string destination)
{
    public const int Window = 16384;

    private readonly Lock _gate = new();
    private readonly double[] _latencies = new double[Window];
    private int _count;
    private int _next;
    private double _max;
    private long _pendingOps, _pendingBytes, _completed, _failed;
    private string? _lastError;

    public void Enqueued(long bytes)
    {
        Interlocked.Increment(ref _pendingOps);
        Interlocked.Add(ref _pendingBytes, bytes);
    }

    public void Finished(long bytes, bool failed, TimeSpan? latency)
    {
        Interlocked.Decrement(ref _pendingOps);
        Interlocked.Add(ref _pendingBytes, -bytes);
        Interlocked.Increment(ref failed ? ref _failed : ref _completed);
        if (latency is { } l)
        {
            lock (_gate)
            {
                _latencies[_next] = l.TotalMilliseconds;
                _next = (_next + 1) % Window;
                _count = Math.Min(_count + 1, Window);
                _max = Math.Max(_max, l.TotalMilliseconds);
            }
        }
    }

    public void Error(string message) => _lastError = message;

    public ReplicationRuleStatus Snapshot()
    {
        double[] sorted;
        double max;
        lock (_gate)
        {
            sorted = _latencies.AsSpan(0, _count).ToArray();
            max = _max;
        }
        Array.Sort(sorted);
        double? Percentile(double p) => sorted.Length == 0 ? null : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new ReplicationRuleStatus(store, bucket, rule, destination, Interlocked.Read(ref _pendingOps), Interlocked.Read(ref _pendingBytes),
            Interlocked.Read(ref _completed), Interlocked.Read(ref _failed), Percentile(0.50), Percentile(0.99), sorted.Length == 0 ? null : max, _lastError);
    }
}
