using Microsoft.Extensions.Logging;

namespace Meridian.Health;

/// <summary>Structured log messages (pre-compiled templates, named placeholders).</summary>
internal static class HealthLog
{
    private static readonly Action<ILogger, string, HealthStatus, HealthStatus, string, double?, Exception?> Recovered =
        LoggerMessage.Define<string, HealthStatus, HealthStatus, string, double?>(
            LogLevel.Information, new EventId(1, "HealthChanged"),
            "Health check {Check} changed {Old} -> {New}: {Reason} (latency {Latency} ms)");

    private static readonly Action<ILogger, string, HealthStatus, HealthStatus, string, double?, Exception?> Failed =
        LoggerMessage.Define<string, HealthStatus, HealthStatus, string, double?>(
            LogLevel.Warning, new EventId(2, "HealthFailed"),
            "Health check {Check} changed {Old} -> {New}: {Reason} (latency {Latency} ms)");

    private static readonly Action<ILogger, string, string, HealthStatus, HealthStatus, string, double?, Exception?> LocationChanged =
        LoggerMessage.Define<string, string, HealthStatus, HealthStatus, string, double?>(
            LogLevel.Information, new EventId(3, "LocationHealthChanged"),
            "Health check {Check} from {Location} changed {Old} -> {New}: {Reason} (latency {Latency} ms)");

    private static readonly Action<ILogger, string, string, Exception?> LoopFailed =
        LoggerMessage.Define<string, string>(
            LogLevel.Error, new EventId(4, "ProbeLoopError"),
            "Health check {Check} from {Location}: probe loop error, retrying at the next interval");

    private static readonly Action<ILogger, string, string, Exception?> ObservationIgnored =
        LoggerMessage.Define<string, string>(
            LogLevel.Debug, new EventId(5, "ObservationIgnored"),
            "Ignoring observation for unknown check {Check} or location {Location}");

    private static readonly Action<ILogger, string, Exception?> ProberCreationFailed =
        LoggerMessage.Define<string>(
            LogLevel.Error, new EventId(6, "ProberCreationFailed"),
            "Health check {Check}: cannot create its prober; the check will report unhealthy");

    public static void ProberFailed(ILogger logger, string check, Exception exception) => ProberCreationFailed(logger, check, exception);

    public static void Changed(ILogger logger, HealthEvent e)
    {
        var latency = e.Latency?.TotalMilliseconds;
        if (e.Location is not null)
        {
            LocationChanged(logger, e.Check, e.Location, e.Old, e.New, e.Reason, latency, null);
        }
        else if (e.New == HealthStatus.Unhealthy)
        {
            Failed(logger, e.Check, e.Old, e.New, e.Reason, latency, null);
        }
        else
        {
            Recovered(logger, e.Check, e.Old, e.New, e.Reason, latency, null);
        }
    }

    public static void LoopError(ILogger logger, string check, string location, Exception exception) =>
        LoopFailed(logger, check, location, exception);

    public static void Ignored(ILogger logger, string check, string location) => ObservationIgnored(logger, check, location, null);
}
