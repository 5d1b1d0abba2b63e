using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Meridian.Balancer;

/// <summary>Lock-free request counters behind <see cref="BalancerCounters"/>.</summary>
internal sealed class CounterSet
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _targets = new(StringComparer.Ordinal);
    private long _requests;
    private long _responses5xx;
    private long _retries;
    private long _noTarget;

    public void Request() => Interlocked.Increment(ref _requests);
    public void Response5xx() => Interlocked.Increment(ref _responses5xx);
    public void Retry() => Interlocked.Increment(ref _retries);
    public void NoTarget() => Interlocked.Increment(ref _noTarget);

    public void TargetRequest(string target) =>
        Interlocked.Increment(ref _targets.GetOrAdd(target, static _ => new StrongBox<long>()).Value);

    public BalancerCounters Snapshot() => new(
        Interlocked.Read(ref _requests),
        Interlocked.Read(ref _responses5xx),
        Interlocked.Read(ref _retries),
        Interlocked.Read(ref _noTarget),
        _targets.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Value), StringComparer.Ordinal));
}
