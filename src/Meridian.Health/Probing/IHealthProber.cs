namespace Meridian.Health;

/// <summary>
/// Probes one endpoint once. One instance per check (created by the monitor's prober factory) is shared by all of
/// that check's locations, so it must be safe for concurrent calls. The monitor applies the check's timeout through
/// <paramref name="cancellationToken"/> and maps exceptions and cancellation to failures, so an implementation may
/// simply throw. If it implements <see cref="IDisposable"/>, the monitor disposes it when the check stops.
/// </summary>
public interface IHealthProber
{
    ValueTask<ProbeResult> ProbeAsync(string location, CancellationToken cancellationToken);
}
