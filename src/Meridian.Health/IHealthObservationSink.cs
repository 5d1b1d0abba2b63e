namespace Meridian.Health;

/// <summary>
/// Accepts per-location observations from any producer: the local prober loops, or a feed from checkers on other
/// hosts. Observations for unknown checks or locations not configured for the check are ignored.
/// </summary>
public interface IHealthObservationSink
{
    void Report(HealthObservation observation);
}
