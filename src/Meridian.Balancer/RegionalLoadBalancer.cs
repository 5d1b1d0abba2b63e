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
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Balancer;

/// <summary>
/// A regional load balancer (the tutorial's ALB): a Kestrel listener forwarding to a target group with ALB health
/// semantics (Initial/Healthy/Unhealthy/Draining, thresholds, fail-open, deregistration delay).
/// </summary>
/// <remarks>
/// Built on YARP's <see cref="IHttpForwarder"/> (direct forwarding) rather than its config-driven pipeline: ALB
/// semantics need our own destination choice anyway (Initial targets get no traffic, draining targets keep their
/// in-flight requests, fail-open only across registered targets, a retry on a different target after a connection
/// failure, health on the injected clock), and the pipeline would have to be bent to each of them through its
/// health-state and policy extension points. The forwarder keeps what YARP is good at: HTTP semantics, header and
/// body copying, upgrades, error classification.
/// </remarks>
public sealed class RegionalLoadBalancer : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    // ALB's default idle timeout: a target silent this long mid-request gets the request cut (504).
    private static readonly TimeSpan ActivityTimeout = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TargetGroup _group;
    private readonly TargetHealthChecker _checker;
    private readonly CounterSet _counters = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly HttpMessageInvoker _invoker;
    private volatile LoadBalancerConfig _config;
    private WebApplication? _app;
    private IPEndPoint? _endpoint;
    private bool _started;
    private bool _disposed;

    public RegionalLoadBalancer(LoadBalancerConfig config, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<RegionalLoadBalancer>();
        Events = new BalancerEventLog();
        _group = new TargetGroup(config.Name, time, Events, _logger) { Algorithm = config.Algorithm };
        _checker = new TargetHealthChecker(config.Name, _group, () => _config.Health, time, _logger);
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = ConnectTimeout,
            // Tracing headers belong to the client's request; a proxy adds none of its own.
            ActivityHeadersPropagator = null,
        }, disposeHandler: true);

        foreach (var target in config.Targets)
        {
            _group.Add(target);
        }
    }

    public string Name => _config.Name;

    /// <summary>The bound listener (the actual port when <c>listen</c> used port 0). Valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint Endpoint => _endpoint ?? throw new InvalidOperationException($"Load balancer {Name} is not started.");

    public IReadOnlyList<TargetStatus> Targets => _group.Snapshot();

    public int HealthyTargets => _group.HealthyCount;

    /// <summary>True while no target is healthy and requests go to every registered target.</summary>
    public bool IsFailingOpen => _group.IsFailOpen;

    public BalancerEventLog Events { get; }

    public BalancerCounters Counters => _counters.Snapshot();

    /// <summary>Binds <c>listen</c> and starts health checks. Throws <see cref="BalancerStartException"/> when it cannot bind.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var config = _config;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_app is not null)
            {
                throw new InvalidOperationException($"Load balancer {Name} is already started.");
            }

            _app = BuildApp(config);
        }

        try
        {
            await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            lock (_gate)
            {
                _app = null;
            }

            throw new BalancerStartException($"load_balancers.{config.Name}.listen: cannot bind {config.Listen} ({ex.Message})", ex);
        }

        _endpoint = BoundEndpoint(_app, config.Listen);
        BalancerLog.Started(_logger, config.Name, _endpoint.ToString());
        lock (_gate)
        {
            _started = true;
            foreach (var target in _group.All())
            {
                _checker.Start(target);
            }
        }
    }

    /// <summary>Registers a target: Initial until it passes <c>HealthyThreshold</c> checks. A no-op when registered.</summary>
    public void Register(TargetConfig target)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var added = _group.Add(target);
            if (added is not null && _started)
            {
                _checker.Start(added);
            }
        }
    }

    /// <summary>
    /// Deregisters a target: no new requests at once; completes when it is removed, after its in-flight requests
    /// finished or after <c>DeregistrationDelay</c> (remaining requests are then aborted). A no-op when not registered;
    /// a second call for a draining target completes with the first.
    /// </summary>
    public async Task DeregisterAsync(TargetConfig target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var delay = _config.DeregistrationDelay;
        var draining = _group.BeginDrain(target, delay);
        if (draining is null)
        {
            // Already draining: complete with the first deregistration; not registered: nothing to do.
            var pending = _group.FindDraining(target);
            if (pending is not null)
            {
                await pending.Gone.Task.ConfigureAwait(false);
            }

            return;
        }

        // The delay timer exists before the first await, so a caller's clock advanced after this returns fires it.
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var expired = delay > TimeSpan.Zero ? Task.Delay(delay, _time, timer.Token) : Task.CompletedTask;
        await draining.ChecksStopping.CancelAsync().ConfigureAwait(false);
        var first = await Task.WhenAny(draining.Idle.Task, expired).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
        var reason = first == draining.Idle.Task && draining.Idle.Task.IsCompleted
            ? "deregistered: no requests in flight"
            : _stopping.IsCancellationRequested
                ? "balancer stopped while draining"
                : $"deregistration delay {delay} elapsed with {draining.InFlight} requests in flight";
        _group.Remove(draining, reason);
    }

    /// <summary>
    /// Applies a reloaded config: targets added/removed like <see cref="Register"/>/<see cref="DeregisterAsync"/>,
    /// algorithm, health settings (from the next check) and delays at once. <c>listen</c> needs a restart.
    /// </summary>
    public void Apply(LoadBalancerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var old = _config;
        if (!Equals(old.Listen, config.Listen))
        {
            BalancerLog.RestartNeeded(_logger, old.Name, $"load_balancers.{old.Name}.listen");
        }

        _config = config with { Name = old.Name, Listen = old.Listen };
        _group.Algorithm = config.Algorithm;
        var wanted = config.Targets.ToHashSet();
        foreach (var target in config.Targets)
        {
            Register(target);
        }

        foreach (var status in _group.Snapshot())
        {
            if (status.State != TargetState.Draining && !wanted.Contains(status.Target))
            {
                _ = DeregisterInBackgroundAsync(status.Target);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        WebApplication? app;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            app = _app;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        var targets = _group.All();
        foreach (var target in targets)
        {
            await target.ChecksStopping.CancelAsync().ConfigureAwait(false);
        }

        if (app is not null)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await app.StopAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Requests still running after the grace period are aborted by disposal.
            }

            await app.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(targets.Select(t => t.CheckLoop)).ConfigureAwait(false);
        _checker.Dispose();
        // _stopping is not disposed: a DeregisterAsync racing with disposal may still link to it.
        _invoker.Dispose();
    }

    /// <summary>True when every check loop waits for a timer due after <paramref name="now"/> (test synchronisation).</summary>
    internal bool ChecksWaitingBeyond(DateTimeOffset now) =>
        _group.All().Where(t => t.State != TargetState.Draining).All(t => t.IsWaitingBeyond(now));

    internal long ChecksCompleted(TargetConfig target) => _group.All().FirstOrDefault(t => t.Config == target)?.ChecksCompleted ?? 0;

    private async Task DeregisterInBackgroundAsync(TargetConfig target)
    {
        try
        {
            await DeregisterAsync(target).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            BalancerLog.LoopError(_logger, Name, target.ToString(), ex);
        }
    }

    private WebApplication BuildApp(LoadBalancerConfig config)
    {
        // The empty builder reads no appsettings, environment or command line: the topology is the only config.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(RegionalLoadBalancer).Assembly.GetName().Name });
        builder.Services.AddLogging();
        // Registered after AddLogging so the host's own factory is replaced by the caller's, wrapped so YARP's and
        // ASP.NET Core's per-request Information lines are dropped (they cost more than the forwarding).
        builder.Services.AddSingleton<ILoggerFactory>(new Meridian.Forwarding.HostedFrameworkLoggerFactory(_loggers));
        builder.Services.AddSingleton(_time);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Services.AddHttpForwarder();
        builder.WebHost.UseKestrelCore();
        // With the runtime's inline socket completions on (meridian sets them, see Meridian.Cli Program), Kestrel runs the
        // request on the epoll thread too instead of queueing it to the thread pool: one thread hop less per request
        // (context switches per request 0.81 → 0.64 on top of the runtime switch alone; docs/benchmarks.md, HTTP httpperf).
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling =
            Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1");
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, config.Listen));
        var app = builder.Build();
        var handler = new ProxyHandler(config.Name, () => _config, _group, _counters,
            app.Services.GetRequiredService<IHttpForwarder>(), _invoker,
            new ForwarderRequestConfig { ActivityTimeout = ActivityTimeout, Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower },
            _logger);
        app.Run(handler.HandleAsync);
        return app;
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, IPEndPoint listen)
    {
        kestrel.AddServerHeader = false;
        var limits = kestrel.Limits;
        // Malformed or oversized requests get Kestrel's 400/414/431; these bounds keep one client from hogging memory.
        limits.MaxRequestLineSize = 8 * 1024;
        limits.MaxRequestHeadersTotalSize = 32 * 1024;
        limits.MaxRequestHeaderCount = 100;
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);
        limits.KeepAliveTimeout = ActivityTimeout;
        // Bodies are streamed to the target; ALB imposes no size limit, neither do we.
        limits.MaxRequestBodySize = null;
        // Plain-text listener: HTTP/1.1 only (no h2c), like an ALB HTTP listener.
        kestrel.Listen(listen, o => o.Protocols = HttpProtocols.Http1);
    }

    private static IPEndPoint BoundEndpoint(WebApplication app, IPEndPoint listen)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri)
            ? new IPEndPoint(listen.Address, uri.Port)
            : listen;
    }
}
