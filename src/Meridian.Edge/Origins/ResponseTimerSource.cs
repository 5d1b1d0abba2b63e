namespace Meridian.Edge;

/// <summary>
/// The cancellation source behind <see cref="ResponseTimer"/>, reused across requests (as YARP reuses its activity
/// timeout sources): the caller's token is linked by a registration instead of a linked source, and a reset source
/// keeps its timer. Per request this saves the timer, two sources and the linked registration (≈ 0.4 KB; see
/// docs/benchmarks.md, "edge CPU per request"). Reuse needs the system clock: <see cref="CancellationTokenSource.TryReset"/>
/// refuses a source whose timer came from another <see cref="TimeProvider"/> (tests' fake clocks), which then get a
/// new source per request, as before.
/// </summary>
internal sealed class ResponseTimerSource(TimeProvider time) : CancellationTokenSource(Timeout.InfiniteTimeSpan, time)
{
    private CancellationTokenRegistration _caller;

    /// <summary>Cancels this source when <paramref name="caller"/> is cancelled, until <see cref="TryUnlinkAndReset"/>.</summary>
    public void Link(CancellationToken caller) =>
        _caller = caller.UnsafeRegister(static state => ((ResponseTimerSource)state!).Cancel(throwOnFirstException: false), this);

    /// <summary>Drops the link and disarms the timer; false when the source was cancelled and cannot be reused.</summary>
    public bool TryUnlinkAndReset()
    {
        // Dispose waits for a callback that is running, so the caller can no longer cancel a source that is reused.
        _caller.Dispose();
        _caller = default;
        return TryReset();
    }
}
