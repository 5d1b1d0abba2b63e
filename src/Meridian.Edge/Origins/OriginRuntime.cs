using System.Net;
using Meridian.Forwarding;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Edge;

/// <summary>
/// One origin of one distribution at run time: its own connection pool (the connection timeout and attempts are per
/// origin, so the handler is too), its remembered health and its probe loop. Kept across reloads while its
/// configuration is unchanged, so health and pooled connections survive an <c>Apply</c>.
/// </summary>
internal sealed class OriginRuntime : IAsyncDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly OriginProbeLoop _probeLoop;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private bool _retired;
    private int _disposed;

    public OriginRuntime(string distribution, OriginConfig config, TimeProvider time, EdgeEventLog events, ILogger logger)
    {
        Distribution = distribution;
        Config = config;
        var attempts = Math.Max(1, config.ConnectionAttempts);
        var connector = new OriginConnector(attempts, config.ConnectionTimeout, time);
        Http1 = config.Url.Scheme == Uri.UriSchemeHttp ? new Http1.Http1OriginPool(config.Url, connector, time) : null;
        _handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            // The connect callback limits each attempt to ConnectionTimeout; this bounds all attempts together.
            ConnectTimeout = config.ConnectionTimeout * attempts + TimeSpan.FromSeconds(1),
            ConnectCallback = connector.ConnectAsync,
            ActivityHeadersPropagator = null,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            EnableMultipleHttp2Connections = true,
        };
        Invoker = new HttpMessageInvoker(new ResponseTimeoutHandler(_handler, config.ResponseTimeout, time), disposeHandler: false);
        Prefix = config.Url.GetLeftPart(UriPartial.Path).TrimEnd('/');
        RequestConfig = new ForwarderRequestConfig
        {
            // YARP's activity timeout also runs while connecting, so it is only an outer bound here: the response
            // timeout proper is enforced by ResponseTimeoutHandler; after the headers it is the body idle timeout.
            ActivityTimeout = config.ConnectionTimeout * attempts + config.ResponseTimeout,
        };
        Health = new OriginHealth(config.Probe, time, (old, @new, reason, at) =>
        {
            var e = new EdgeEvent(at, EdgeEventKind.OriginHealthChanged, distribution, config.Name, reason, Old: old, New: @new);
            events.Add(e);
            EdgeLog.OriginHealthChanged(logger, e);
        });
        _probeLoop = new OriginProbeLoop(this, new HttpMessageInvoker(_handler, disposeHandler: false), time, logger);
    }

    public string Distribution { get; }

    public string Name => Config.Name;

    public OriginConfig Config { get; }

    /// <summary>The origin URL without trailing slash: YARP appends the request path (the CloudFront origin path).</summary>
    public string Prefix { get; }

    public HttpMessageInvoker Invoker { get; }

    /// <summary>The direct HTTP/1.1 path's connections (plain-HTTP origins only; null for HTTPS, which stays on YARP).</summary>
    public Http1.Http1OriginPool? Http1 { get; }

    /// <summary>Request URIs built for this origin, reused across requests.</summary>
    public DestinationUriCache Uris { get; } = new();

    public ForwarderRequestConfig RequestConfig { get; }

    public OriginHealth Health { get; }

    public void StartProbing()
    {
        if (Config.Probe.Enabled)
        {
            _probeLoop.Start();
        }
    }

    /// <summary>
    /// Registers a request about to use the connection pool; false once the origin was retired and drained (a
    /// request that matched just before a reload), in which case the pool must not be used.
    /// </summary>
    public bool TryBeginRequest()
    {
        lock (_gate)
        {
            if (_retired && _inFlight == 0)
            {
                return false;
            }

            _inFlight++;
            return true;
        }
    }

    public void EndRequest()
    {
        lock (_gate)
        {
            if (--_inFlight == 0 && _retired)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Removed by a reload: probing stops at once, but the connection pool is disposed only when the requests still
    /// using it are done, so a request routed just before the reload still finds the pool open.
    /// </summary>
    public async Task RetireAsync()
    {
        lock (_gate)
        {
            _retired = true;
            if (_inFlight == 0)
            {
                _drained.TrySetResult();
            }
        }

        await _probeLoop.StopAsync().ConfigureAwait(false);
        await _drained.Task.ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _probeLoop.StopAsync().ConfigureAwait(false);
        Invoker.Dispose();
        _handler.Dispose();
        Http1?.Dispose();
    }
}
