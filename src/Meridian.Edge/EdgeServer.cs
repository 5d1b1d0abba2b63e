using System.Collections.Concurrent;
using System.Net;
using Meridian.Topology.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Edge;

/// <summary>
/// The edge (the tutorial's CloudFront, without caching yet): one set of Kestrel listeners per edge location, Host
/// matching to distributions, forwarding to origins with origin-group failover, and remembered origin health
/// (passive on failures, active by probes) so later requests skip a failed origin.
/// </summary>
public sealed class EdgeServer : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly ServiceProvider _forwarderServices;
    private readonly EdgePipeline _pipeline;
    private readonly Caching.CacheStage _cache;
    private readonly bool _extraStages; // stages in front of the cache see every request: no hit fast path then
    private readonly EdgeCertificates _certificates = new();
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, LocationCounters> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EdgeLocationHost> _hosts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _hostsGate = new(1, 1);
    private Dictionary<(string Distribution, string Origin), OriginRuntime> _origins = [];
    private readonly List<OriginRuntime> _retired = [];
    private volatile EdgeRoutes _routes;
    private EdgeConfig _config;
    private bool _started;
    private bool _disposed;
    private Task _reconciling = Task.CompletedTask;

    public EdgeServer(EdgeConfig config, TimeProvider time, ILoggerFactory loggers)
        : this(config, time, loggers, [])
    {
    }

    /// <summary>With extra pipeline stages in front of the origin forwarder (the caching seam).</summary>
    internal EdgeServer(EdgeConfig config, TimeProvider time, ILoggerFactory loggers, IReadOnlyList<IEdgeStage> stages)
    {
        ArgumentNullException.ThrowIfNull(config);
        _time = time;
        _loggers = new Meridian.Forwarding.HostedFrameworkLoggerFactory(loggers);
        _logger = loggers.CreateLogger("Meridian.Edge");
        _forwarderServices = new ServiceCollection()
            .AddLogging()
            .AddSingleton(_loggers)
            .AddSingleton(time)
            .AddHttpForwarder()
            .BuildServiceProvider();
        var forwarder = new OriginForwarder(_forwarderServices.GetRequiredService<IHttpForwarder>(), Events, time, _logger);
        // The cache is in every pipeline, innermost (extra stages see what the cache answers).
        _cache = new Caching.CacheStage(Caching.CacheStoreOptions.From(config.Cache), time);
        _pipeline = new EdgePipeline([.. stages, _cache], forwarder.ForwardAsync);
        _extraStages = stages.Count > 0;
        _certificates.Apply(config);
        (_routes, _origins, _) = BuildRoutes(config, []);
        _config = config;
    }

    /// <summary>Origin health changes and failovers, most recent last.</summary>
    public EdgeEventLog Events { get; } = new();

    /// <summary>The bound listener addresses by location (actual ports when configured with port 0).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IPEndPoint>> Endpoints
    {
        get
        {
            lock (_hosts)
            {
                return _hosts.ToDictionary(h => h.Key, h => h.Value.Endpoints, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The bound HTTPS listener addresses by location (TLS, certificate by SNI).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IPEndPoint>> HttpsEndpoints
    {
        get
        {
            lock (_hosts)
            {
                return _hosts.ToDictionary(h => h.Key, h => h.Value.HttpsEndpoints, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Starts every location's listeners, then the origin probes. A bind failure stops what was started.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _hostsGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EdgeConfig config;
            lock (_gate)
            {
                if (_started)
                {
                    throw new InvalidOperationException("The edge server is already started.");
                }

                config = _config;
            }

            try
            {
                foreach (var location in config.Locations)
                {
                    await StartLocationAsync(location, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                await StopLocationsAsync(_hosts.Keys.ToArray()).ConfigureAwait(false);
                throw;
            }

            lock (_gate)
            {
                _started = true;
                foreach (var origin in _origins.Values)
                {
                    origin.StartProbing();
                }
            }
        }
        finally
        {
            _hostsGate.Release();
        }
    }

    /// <summary>
    /// Applies a new configuration. Routing and origins switch at once (unchanged origins keep their health,
    /// connections and probes); listener changes are applied in the background (errors are logged). Throws, keeping
    /// the current configuration, when a distribution's target or group member names no origin.
    /// </summary>
    public void Apply(EdgeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ObjectDisposedException.ThrowIf(_disposed, this);
        List<OriginRuntime> retired;
        lock (_gate)
        {
            _certificates.Apply(config);
            _cache.Reconfigure(Caching.CacheStoreOptions.From(config.Cache));
            var (routes, origins, created) = BuildRoutes(config, _origins);
            retired = _origins.Values.Where(o => !origins.Values.Contains(o)).ToList();
            _retired.AddRange(retired);
            _routes = routes;
            _origins = origins;
            _config = config;
            if (_started)
            {
                foreach (var origin in created)
                {
                    origin.StartProbing();
                }

                _reconciling = ReconcileAfterAsync(_reconciling, config);
            }
        }

        foreach (var origin in retired)
        {
            _ = RetireAsync(origin);
        }
    }

    /// <summary>Completes when the listener changes of the last <see cref="Apply"/> are in place.</summary>
    internal Task Reconciling
    {
        get
        {
            lock (_gate)
            {
                return _reconciling;
            }
        }
    }

    /// <summary>Counters of every configured location.</summary>
    public IReadOnlyList<EdgeMetrics> GetMetrics()
    {
        lock (_gate)
        {
            return _config.Locations.Select(l => Counters(l.Name).Snapshot(_origins.Values)).ToArray();
        }
    }

    public EdgeMetrics GetMetrics(string location)
    {
        lock (_gate)
        {
            return Counters(location).Snapshot(_origins.Values);
        }
    }

    /// <summary>Cache counters of every configured location (store counters and per-behaviour hits, misses, bytes...).</summary>
    public IReadOnlyList<EdgeCacheMetrics> GetCacheMetrics()
    {
        EdgeConfig config;
        lock (_gate)
        {
            config = _config;
        }

        return config.Locations.Select(l => GetCacheMetrics(l.Name)).ToArray();
    }

    public EdgeCacheMetrics GetCacheMetrics(string location) => EdgeCacheInvalidation.Metrics(_cache, location);

    /// <summary>
    /// Removes the distribution's cached objects matching each path (exact, or a prefix ending in <c>*</c>) at every
    /// location, and vetoes storing fills in progress for them.
    /// </summary>
    public InvalidationResult Invalidate(string distribution, IReadOnlyList<string> paths) =>
        EdgeCacheInvalidation.Invalidate(_cache, distribution, paths, _time);

    /// <summary>The remembered health of every origin of every distribution.</summary>
    public IReadOnlyList<EdgeOriginHealth> GetOriginHealth()
    {
        lock (_gate)
        {
            return _origins.Values
                .Select(o =>
                {
                    var (status, reason, lastChange) = o.Health.Snapshot();
                    return new EdgeOriginHealth(o.Distribution, o.Name, status, reason, lastChange);
                })
                .ToArray();
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<OriginRuntime> origins;
        Task reconciling;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            // Retired origins still draining are cut now: the listeners are stopping anyway.
            origins = [.. _origins.Values, .. _retired];
            reconciling = _reconciling;
        }

        await reconciling.ConfigureAwait(false);
        await _hostsGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopLocationsAsync(_hosts.Keys.ToArray()).ConfigureAwait(false);
        }
        finally
        {
            _hostsGate.Release();
        }

        await DisposeAllAsync(origins).ConfigureAwait(false);
        await _cache.DisposeAsync().ConfigureAwait(false);
        await _forwarderServices.DisposeAsync().ConfigureAwait(false);
        _certificates.Dispose();
    }

    private (EdgeRoutes Routes, Dictionary<(string, string), OriginRuntime> Origins, List<OriginRuntime> Created) BuildRoutes(
        EdgeConfig config, Dictionary<(string Distribution, string Origin), OriginRuntime> current)
    {
        var origins = new Dictionary<(string, string), OriginRuntime>();
        var created = new List<OriginRuntime>();
        foreach (var distribution in config.Distributions)
        {
            foreach (var origin in distribution.Origins)
            {
                var key = (distribution.Name, origin.Name);
                if (current.TryGetValue(key, out var existing) && existing.Config == origin)
                {
                    origins[key] = existing;
                }
                else
                {
                    var runtime = new OriginRuntime(distribution.Name, origin, _time, Events, _logger);
                    origins[key] = runtime;
                    created.Add(runtime);
                }
            }
        }

        try
        {
            return (EdgeRoutes.Build(config, (d, o) => origins[(d, o.Name)]), origins, created);
        }
        catch
        {
            _ = DisposeAllAsync(created);
            throw;
        }
    }

    private LocationCounters Counters(string location) => _counters.GetOrAdd(location, static name => new LocationCounters(name));

    private async Task StartLocationAsync(EdgeLocationConfig location, CancellationToken cancellationToken)
    {
        var handler = new EdgeRequestHandler(location.Name, Counters(location.Name), () => _routes, _pipeline, _extraStages ? null : _cache);
        var host = new EdgeLocationHost(location, handler, _loggers, _certificates.Select);
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        lock (_hosts)
        {
            _hosts[location.Name] = host;
        }

        _cache.HttpsPorts[location.Name] = host.HttpsEndpoints.Count > 0 ? host.HttpsEndpoints[0].Port : null;
    }

    private async Task StopLocationsAsync(IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            EdgeLocationHost? host;
            lock (_hosts)
            {
                _hosts.Remove(name, out host);
            }

            if (host is not null)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // Serialized after the previous reconcile so overlapping reloads apply in order.
    private async Task ReconcileAfterAsync(Task previous, EdgeConfig config)
    {
        await previous.ConfigureAwait(false);
        await _hostsGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            var wanted = config.Locations.ToDictionary(l => l.Name, StringComparer.Ordinal);
            var stale = _hosts
                .Where(h => !wanted.TryGetValue(h.Key, out var l) || !l.Listen.SequenceEqual(h.Value.Config.Listen) || !l.HttpsListen.SequenceEqual(h.Value.Config.HttpsListen))
                .Select(h => h.Key)
                .ToArray();
            await StopLocationsAsync(stale).ConfigureAwait(false);
            foreach (var location in config.Locations.Where(l => !_hosts.ContainsKey(l.Name)))
            {
                try
                {
                    await StartLocationAsync(location, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    EdgeLog.ReloadFailed(_logger, location.Name, ex);
                }
            }
        }
        finally
        {
            _hostsGate.Release();
        }
    }

    private async Task RetireAsync(OriginRuntime origin)
    {
        await origin.RetireAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _retired.Remove(origin);
        }
    }

    private static async Task DisposeAllAsync(IEnumerable<OriginRuntime> origins)
    {
        foreach (var origin in origins)
        {
            await origin.DisposeAsync().ConfigureAwait(false);
        }
    }
}
