using Meridian.Topology.Model;

namespace Meridian.Health;

/// <summary>
/// The live, aggregated state of one health check. Writers are the health monitor; readers (DNS answers) only
/// read <see cref="IsHealthy"/>, a single volatile field, so answering never locks or allocates.
/// </summary>
public sealed class HealthCheckState
{
    private readonly UnknownHealthPolicy _unknownIs;
    private readonly bool _disabled;
    private volatile int _status; // HealthStatus
    private volatile bool _isHealthy;
    private readonly Lock _gate = new();

    public HealthCheckState(string name, UnknownHealthPolicy unknownIs, bool disabled = false)
    {
        Name = name;
        _unknownIs = unknownIs;
        _disabled = disabled;
        _isHealthy = Effective(HealthStatus.Unknown);
    }

    public string Name { get; }

    public HealthStatus Status => (HealthStatus)_status;

    /// <summary>Effective health for routing: disabled checks are healthy; unknown follows the configured policy.</summary>
    public bool IsHealthy => _isHealthy;

    public TimeSpan? LastLatency { get; private set; }

    public DateTimeOffset? LastChange { get; private set; }

    public string? LastReason { get; private set; }

    /// <summary>Sets the aggregated status. Returns the previous status when it changed, null otherwise.</summary>
    public HealthStatus? Apply(HealthStatus status, string reason, TimeSpan? latency, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (latency is not null)
            {
                LastLatency = latency;
            }

            var old = (HealthStatus)_status;
            if (old == status)
            {
                return null;
            }

            LastChange = at;
            LastReason = reason;
            _status = (int)status;
            _isHealthy = Effective(status);
            return old;
        }
    }

    private bool Effective(HealthStatus status) => _disabled || status switch
    {
        HealthStatus.Healthy => true,
        HealthStatus.Unhealthy => false,
        _ => _unknownIs == UnknownHealthPolicy.Healthy,
    };
}
