using Meridian.Topology.Model;

namespace Meridian.Health;

/// <summary>
/// Runs one probe with the check's whole-probe timeout (on the injected clock), maps exceptions to failure reasons
/// and applies <c>invert</c>. Shared by the monitor and the real-prober tests so both see identical semantics.
/// </summary>
internal static class ProbeRunner
{
    public static async Task<ProbeResult> RunAsync(
        IHealthProber prober, HealthCheckConfig check, string location, TimeProvider time, CancellationToken stopping)
    {
        var timeout = check.Timeout > TimeSpan.Zero ? check.Timeout : Timeout.InfiniteTimeSpan;
        using var timeoutCts = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeoutCts.Token);
        ProbeResult result;
        try
        {
            // WaitAsync: a prober that ignores cancellation still cannot stall the loop past the timeout.
            result = await prober.ProbeAsync(location, linked.Token).AsTask().WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            result = ProbeResult.Fail(TimeoutReason(check.Timeout));
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested && ex is not OperationCanceledException)
        {
            result = timeoutCts.IsCancellationRequested
                ? ProbeResult.Fail(TimeoutReason(check.Timeout))
                : ProbeResult.Fail(ProbeErrors.Describe(ex));
        }

        return check.Invert ? result with { Success = !result.Success, Reason = $"inverted: {result.Reason}" } : result;
    }

    public static string TimeoutReason(TimeSpan timeout) => $"timeout after {(long)timeout.TotalMilliseconds} ms";
}
