using Microsoft.Extensions.Logging;

namespace Meridian.Edge;

/// <summary>Structured log messages (pre-compiled templates, named placeholders).</summary>
internal static class EdgeLog
{
    private static readonly Action<ILogger, string, string, EdgeOriginStatus?, EdgeOriginStatus?, string, Exception?> OriginDown =
        LoggerMessage.Define<string, string, EdgeOriginStatus?, EdgeOriginStatus?, string>(
            LogLevel.Warning, new EventId(1, "OriginUnhealthy"),
            "Edge origin {Distribution}/{Origin} changed {Old} -> {New}: {Reason}");

    private static readonly Action<ILogger, string, string, EdgeOriginStatus?, EdgeOriginStatus?, string, Exception?> OriginUp =
        LoggerMessage.Define<string, string, EdgeOriginStatus?, EdgeOriginStatus?, string>(
            LogLevel.Information, new EventId(2, "OriginHealthChanged"),
            "Edge origin {Distribution}/{Origin} changed {Old} -> {New}: {Reason}");

    private static readonly Action<ILogger, string?, string, string, string?, string, Exception?> Failover =
        LoggerMessage.Define<string?, string, string, string?, string>(
            LogLevel.Warning, new EventId(3, "Failover"),
            "Edge {Location} distribution {Distribution}: failing over from {Origin} to {NextOrigin}: {Reason}");

    private static readonly Action<ILogger, string, string, Exception?> ProbeLoopError =
        LoggerMessage.Define<string, string>(
            LogLevel.Error, new EventId(4, "ProbeLoopError"),
            "Edge origin {Distribution}/{Origin}: probe loop stopped by an error");

    private static readonly Action<ILogger, string, string, Exception?> LocationStarted =
        LoggerMessage.Define<string, string>(
            LogLevel.Information, new EventId(5, "LocationStarted"),
            "Edge location {Location} listening on {Endpoints}");

    private static readonly Action<ILogger, string, Exception?> LocationStopped =
        LoggerMessage.Define<string>(
            LogLevel.Information, new EventId(6, "LocationStopped"),
            "Edge location {Location} stopped");

    private static readonly Action<ILogger, string, Exception?> LocationReloadFailed =
        LoggerMessage.Define<string>(
            LogLevel.Error, new EventId(7, "LocationReloadFailed"),
            "Edge location {Location}: applying the new listeners failed");

    public static void OriginHealthChanged(ILogger logger, EdgeEvent e)
    {
        var log = e.New == EdgeOriginStatus.Unhealthy ? OriginDown : OriginUp;
        log(logger, e.Distribution, e.Origin, e.Old, e.New, e.Reason, null);
    }

    public static void FailedOver(ILogger logger, EdgeEvent e) =>
        Failover(logger, e.Location, e.Distribution, e.Origin, e.NextOrigin, e.Reason, null);

    public static void ProbeLoopFailed(ILogger logger, string distribution, string origin, Exception exception) =>
        ProbeLoopError(logger, distribution, origin, exception);

    public static void Started(ILogger logger, string location, string endpoints) => LocationStarted(logger, location, endpoints, null);

    public static void Stopped(ILogger logger, string location) => LocationStopped(logger, location, null);

    public static void ReloadFailed(ILogger logger, string location, Exception exception) => LocationReloadFailed(logger, location, exception);
}
