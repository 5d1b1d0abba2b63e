namespace Meridian.Health;

/// <summary>The raw outcome of one probe, before thresholds.</summary>
/// <param name="Success">Whether the endpoint passed (before <c>invert</c> is applied).</param>
/// <param name="Reason">Human-readable: "HTTP 200", "connection refused", "timeout after 1000 ms".</param>
/// <param name="Latency">Time to status line (HTTP) or to connect (TCP); null when not measured.</param>
public readonly record struct ProbeResult(bool Success, string Reason, TimeSpan? Latency)
{
    public static ProbeResult Pass(string reason, TimeSpan? latency = null) => new(true, reason, latency);

    public static ProbeResult Fail(string reason, TimeSpan? latency = null) => new(false, reason, latency);
}
