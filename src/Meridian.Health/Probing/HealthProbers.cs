using Meridian.Topology.Model;

namespace Meridian.Health;

/// <summary>The real probers, selected by check type.</summary>
public static class HealthProbers
{
    /// <summary>Creates the default prober for an HTTP, HTTPS, TCP or PostgreSQL check.</summary>
    public static IHealthProber Create(HealthCheckConfig check, TimeProvider timeProvider) => check.Type switch
    {
        HealthCheckType.Http or HealthCheckType.Https => new HttpProber(check, timeProvider),
        HealthCheckType.Tcp => new TcpProber(check, timeProvider),
        HealthCheckType.Postgres => new PostgresProber(check, timeProvider),
        _ => throw new ArgumentException($"health check '{check.Name}' of type {check.Type} is not probed", nameof(check)),
    };
}
