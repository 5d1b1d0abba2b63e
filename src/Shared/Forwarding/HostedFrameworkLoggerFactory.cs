using Microsoft.Extensions.Logging;

namespace Meridian.Forwarding;

/// <summary>
/// Wraps the host's logger factory for the frameworks the load balancer and the edge embed: ASP.NET Core hosting and
/// YARP log every request at Information ("Request starting", "Proxying to", "Received HTTP/1.1 response"), which would
/// drown Meridian's own events and cost more CPU than the forwarding itself; below Warning they are dropped. Everything
/// else passes through unchanged.
/// </summary>
internal sealed class HostedFrameworkLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private static readonly string[] ChattyPrefixes = ["Microsoft.AspNetCore.", "Microsoft.Hosting.", "Microsoft.Extensions.Hosting.", "Yarp."];

    // ASP.NET Core hosting starts an Activity and a logging scope (an AsyncLocal set and reset) for every request as
    // soon as this category has any level enabled (it asks IsEnabled(Critical)); it logs nothing else at Warning or
    // above except start-up failures, which the caller reports itself. Off entirely: StartActivity + StopActivity were
    // 1.2% of the proxy's CPU under wrk (perf; docs/benchmarks.md, HTTP 2026-11-26 06:31).
    private const string PerRequestHostingCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public ILogger CreateLogger(string categoryName)
    {
        if (categoryName == PerRequestHostingCategory)
        {
            return Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        }

        var logger = inner.CreateLogger(categoryName);
        return ChattyPrefixes.Any(p => categoryName.StartsWith(p, StringComparison.Ordinal))
            ? new MinimumLevelLogger(logger, LogLevel.Warning)
            : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The host's factory is owned by the host.
    public void Dispose()
    {
    }
}
