using Meridian.Topology.Model;

namespace Meridian.Edge;

/// <summary>
/// The remembered health of one origin, shared by all locations. Transitions:
/// <list type="bullet">
/// <item>Probe success: Unknown → Healthy at once; Unhealthy → Healthy after <c>HealthyThreshold</c> consecutive
/// successes (so a flapping primary does not take traffic back too early).</item>
/// <item>Probe failure: Unknown/Healthy → Unhealthy after <c>UnhealthyThreshold</c> consecutive failures.</item>
/// <item>Passive failure (a request saw a failover-triggering failure): → Unhealthy at once, because that request
/// already paid for it and the next ones should not.</item>
/// <item>Passive success: Unknown → Healthy (never clears Unhealthy: only probes do, or the hold-down below).</item>
/// </list>
/// Without probes nothing could clear a passive Unhealthy, so it then lasts one probe interval (a hold-down) and the
/// origin goes back to Unknown and is tried again.
/// </summary>
internal sealed class OriginHealth
{
    private readonly OriginProbeConfig _probe;
    private readonly TimeProvider _time;
    private readonly Action<EdgeOriginStatus, EdgeOriginStatus, string, DateTimeOffset> _changed;
    private readonly Lock _gate = new();
    private EdgeOriginStatus _status = EdgeOriginStatus.Unknown;
    private int _failures;
    private int _successes;
    private DateTimeOffset? _holdDownUntil;

    public OriginHealth(OriginProbeConfig probe, TimeProvider time, Action<EdgeOriginStatus, EdgeOriginStatus, string, DateTimeOffset> changed)
    {
        _probe = probe;
        _time = time;
        _changed = changed;
    }

    public EdgeOriginStatus Status
    {
        get
        {
            lock (_gate)
            {
                ExpireHoldDown();
                return _status;
            }
        }
    }

    public string? Reason { get; private set; }

    public DateTimeOffset? LastChange { get; private set; }

    /// <summary>Status, reason and time of change read together (a consistent view for the health API).</summary>
    public (EdgeOriginStatus Status, string? Reason, DateTimeOffset? LastChange) Snapshot()
    {
        lock (_gate)
        {
            ExpireHoldDown();
            return (_status, Reason, LastChange);
        }
    }

    /// <summary>True unless Unhealthy: Unknown origins are tried (a new origin is trusted until it fails).</summary>
    public bool IsAvailable => Status != EdgeOriginStatus.Unhealthy;

    public void ReportProbe(bool success, string reason)
    {
        lock (_gate)
        {
            if (success)
            {
                _failures = 0;
                _successes++;
                if (_status == EdgeOriginStatus.Unknown
                    || (_status == EdgeOriginStatus.Unhealthy && _successes >= Math.Max(1, _probe.HealthyThreshold)))
                {
                    Set(EdgeOriginStatus.Healthy, reason);
                }
            }
            else
            {
                _successes = 0;
                _failures++;
                if (_status != EdgeOriginStatus.Unhealthy && _failures >= Math.Max(1, _probe.UnhealthyThreshold))
                {
                    Set(EdgeOriginStatus.Unhealthy, reason);
                }
            }
        }
    }

    public void ReportPassiveFailure(string reason)
    {
        lock (_gate)
        {
            _successes = 0;
            _failures = 0;
            if (!_probe.Enabled)
            {
                _holdDownUntil = _time.GetUtcNow() + _probe.Interval;
            }

            if (_status != EdgeOriginStatus.Unhealthy)
            {
                Set(EdgeOriginStatus.Unhealthy, reason);
            }
        }
    }

    public void ReportPassiveSuccess(string reason)
    {
        lock (_gate)
        {
            ExpireHoldDown();
            if (_status == EdgeOriginStatus.Unknown)
            {
                Set(EdgeOriginStatus.Healthy, reason);
            }
        }
    }

    /// <summary>
    /// A request was answered with <paramref name="status"/>: the reason ("request answered HTTP 200") is formatted only
    /// when it changes the state, not on every request (it was formatted on every success: 58 ns and 96 B).
    /// </summary>
    public void ReportPassiveSuccess(int? status)
    {
        lock (_gate)
        {
            ExpireHoldDown();
            if (_status == EdgeOriginStatus.Unknown)
            {
                Set(EdgeOriginStatus.Healthy, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"request answered HTTP {status}"));
            }
        }
    }

    private void ExpireHoldDown()
    {
        if (_holdDownUntil is { } until && _time.GetUtcNow() >= until)
        {
            _holdDownUntil = null;
            if (_status == EdgeOriginStatus.Unhealthy)
            {
                Set(EdgeOriginStatus.Unknown, "hold-down expired (no probe): trying the origin again");
            }
        }
    }

    private void Set(EdgeOriginStatus status, string reason)
    {
        var old = _status;
        var now = _time.GetUtcNow();
        _status = status;
        Reason = reason;
        LastChange = now;
        _changed(old, status, reason, now);
    }
}
