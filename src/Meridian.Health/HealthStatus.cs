namespace Meridian.Health;

/// <summary>A check's aggregated status. <see cref="Unknown"/> until the first result exists.</summary>
public enum HealthStatus
{
    Unknown,
    Healthy,
    Unhealthy,
}
