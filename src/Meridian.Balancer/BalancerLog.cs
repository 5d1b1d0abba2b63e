using Microsoft.Extensions.Logging;

namespace Meridian.Balancer;

/// <summary>Structured log messages (pre-compiled templates, named placeholders).</summary>
internal static class BalancerLog
{
    private static readonly Action<ILogger, string, BalancerEventKind, string?, TargetState?, TargetState?, string, Exception?> InfoEvent =
        LoggerMessage.Define<string, BalancerEventKind, string?, TargetState?, TargetState?, string>(
            LogLevel.Information, new EventId(1, "TargetGroupChanged"),
            "Load balancer {Balancer}: {Kind} {Target} {Old} -> {New}: {Reason}");

    private static readonly Action<ILogger, string, BalancerEventKind, string?, TargetState?, TargetState?, string, Exception?> WarningEvent =
        LoggerMessage.Define<string, BalancerEventKind, string?, TargetState?, TargetState?, string>(
            LogLevel.Warning, new EventId(2, "TargetGroupDegraded"),
            "Load balancer {Balancer}: {Kind} {Target} {Old} -> {New}: {Reason}");

    private static readonly Action<ILogger, string, string, Exception?> CheckLoopFailed =
        LoggerMessage.Define<string, string>(
            LogLevel.Error, new EventId(3, "CheckLoopError"),
            "Load balancer {Balancer}: health check loop for {Target} failed, retrying at the next interval");

    private static readonly Action<ILogger, string, string, string, string, Exception?> Retrying =
        LoggerMessage.Define<string, string, string, string>(
            LogLevel.Information, new EventId(4, "RequestRetried"),
            "Load balancer {Balancer}: {Method} {Path} failed on {Target}, retrying on another target");

    private static readonly Action<ILogger, string, string, Exception?> ReloadIgnored =
        LoggerMessage.Define<string, string>(
            LogLevel.Warning, new EventId(5, "ReloadIgnored"),
            "Load balancer {Balancer}: {Field} changed; it takes effect only after a restart");

    private static readonly Action<ILogger, string, string, Exception?> Listening =
        LoggerMessage.Define<string, string>(
            LogLevel.Information, new EventId(6, "Listening"),
            "Load balancer {Balancer} listening on {Endpoint}");

    public static void Event(ILogger logger, BalancerEvent e)
    {
        var degraded = e.Kind == BalancerEventKind.FailOpenStarted || e.New == TargetState.Unhealthy;
        (degraded ? WarningEvent : InfoEvent)(logger, e.Balancer, e.Kind, e.Target, e.Old, e.New, e.Reason, null);
    }

    public static void LoopError(ILogger logger, string balancer, string target, Exception ex) => CheckLoopFailed(logger, balancer, target, ex);

    public static void Retry(ILogger logger, string balancer, string method, string path, string target) =>
        Retrying(logger, balancer, method, path, target, null);

    public static void RestartNeeded(ILogger logger, string balancer, string field) => ReloadIgnored(logger, balancer, field, null);

    public static void Started(ILogger logger, string balancer, string endpoint) => Listening(logger, balancer, endpoint, null);
}
