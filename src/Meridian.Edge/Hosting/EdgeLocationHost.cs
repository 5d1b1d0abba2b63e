using System.Net;
using Meridian.Topology.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Meridian.Edge;

/// <summary>The Kestrel listeners of one edge location (its own addresses, port 0 allowed).</summary>
internal sealed class EdgeLocationHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ILogger _logger;

    public EdgeLocationHost(EdgeLocationConfig config, EdgeRequestHandler handler, ILoggerFactory loggers,
        Func<string?, System.Security.Cryptography.X509Certificates.X509Certificate2?>? certificates = null)
    {
        Config = config;
        _logger = loggers.CreateLogger("Meridian.Edge.Location");
        // The empty builder reads no appsettings, environment or command line (only this code configures the edge)
        // and adds no middleware: the handler is the whole pipeline, as in the load balancer.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = "Meridian.Edge",
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Services.AddLogging();
        // Registered after AddLogging so the host's own factory is replaced by the edge's.
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<IHostLifetime, NoopHostLifetime>();
        builder.WebHost.UseKestrelCore();
        // With the runtime's inline socket completions on (meridian sets them, see Meridian.Cli Program), Kestrel runs the
        // request on the epoll thread too instead of queueing it to the thread pool: one thread hop less per request
        // (context switches per request 0.81 → 0.64 on top of the runtime switch alone; docs/benchmarks.md, HTTP httpperf).
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling =
            Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Malformed requests and oversized headers get Kestrel's 400/431; these limits keep them bounded.
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            foreach (var endpoint in config.Listen)
            {
                // Plain-text listeners speak HTTP/1.1 only (no h2c), as CloudFront's; HTTP/2 is negotiated over TLS.
                kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http1);
            }

            foreach (var endpoint in config.HttpsListen)
            {
                kestrel.Listen(endpoint, listen => EdgeHttps.Configure(listen, certificates));
            }
        });
        _app = builder.Build();
        _app.Run(handler.HandleAsync);
    }

    public EdgeLocationConfig Config { get; }

    public IReadOnlyList<IPEndPoint> Endpoints { get; private set; } = [];

    public IReadOnlyList<IPEndPoint> HttpsEndpoints { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var failed = Config.Listen.Where(e => ex.Message.Contains(e.ToString(), StringComparison.Ordinal)).ToList();
            var failedHttps = Config.HttpsListen.Where(e => ex.Message.Contains(e.ToString(), StringComparison.Ordinal)).ToList();
            var key = failed.Count == 0 && failedHttps.Count > 0 ? "httpsListen" : "listen";
            var addresses = string.Join(", ", failed.Count > 0 ? failed : failedHttps.Count > 0 ? failedHttps : Config.Listen);
            throw new InvalidOperationException(
                $"edge.locations.{Config.Name}.{key}: cannot listen on {addresses}: {ex.Message}", ex);
        }

        var addressesFeature = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        var bound = (addressesFeature?.Addresses ?? []).Select(a => new Uri(a)).ToArray();
        Endpoints = bound.Where(a => a.Scheme == Uri.UriSchemeHttp).Select(a => IPEndPoint.Parse(a.Authority)).ToArray();
        HttpsEndpoints = bound.Where(a => a.Scheme == Uri.UriSchemeHttps).Select(a => IPEndPoint.Parse(a.Authority)).ToArray();
        EdgeLog.Started(_logger, Config.Name, string.Join(", ", Endpoints));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception) when (Endpoints.Count == 0)
        {
            // Never started (bind failure): nothing to stop.
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        EdgeLog.Stopped(_logger, Config.Name);
    }
}
