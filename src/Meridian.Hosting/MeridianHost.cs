using System.Net;
using Meridian.Dns;
using Meridian.Health;
using Meridian.Hosting.Control;
using Meridian.Hosting.Reload;
using Meridian.Topology;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging;

namespace Meridian.Hosting;

/// <summary>
/// Runs the roles of one Meridian process from a topology: health monitor, DNS server, control API. Applies a new
/// topology atomically (health first, then a recompiled DNS snapshot); an invalid file is rejected and the running
/// topology stays.
/// </summary>
public sealed class MeridianHost : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Lock _reloadGate = new();
    private TopologyWatcher? _watcher;
    private volatile TopologyConfig _topology;

    public MeridianHost(TopologyConfig topology, MeridianHostOptions options, ILoggerFactory loggers)
    {
        _topology = topology;
        Options = options;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Meridian.Host");
        if ((options.Roles & (MeridianRole.Dns | MeridianRole.Health)) != 0)
        {
            Health = new HealthMonitor(topology, options.TimeProvider, loggers);
        }

        if (options.Roles.HasFlag(MeridianRole.Dns))
        {
            Dns = new GslbDnsServer(topology, Health!, loggers);
        }

        if (options.Roles.HasFlag(MeridianRole.Control))
        {
            Control = new ControlApi(this, loggers);
        }
    }

    public MeridianHostOptions Options { get; }

    public TopologyConfig Topology => _topology;

    public HealthMonitor? Health { get; }

    public GslbDnsServer? Dns { get; }

    public ControlApi? Control { get; }

    /// <summary>The control API's bound address once started (useful when the topology says port 0).</summary>
    public IPEndPoint? ControlEndpoint => Control?.Endpoint;

    /// <summary>Binds listeners and starts checks. Throws with a message naming the field when a bind fails.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        Dns?.Start();
        Health?.Start();
        if (Control is not null)
        {
            await Control.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Options.WatchConfig && File.Exists(_topology.SourceFile))
        {
            _watcher = new TopologyWatcher(_topology.SourceFile, () => ReloadFromFile(), _loggers.CreateLogger("Meridian.Reload"));
        }

        _logger.LogInformation("Meridian running roles {Roles}{Region} from {File}", Options.Roles,
            Options.Region is null ? "" : $" in region {Options.Region}", _topology.SourceFile);
    }

    /// <summary>Loads the topology file again and applies it when valid; returns the load result either way.</summary>
    public TopologyLoadResult ReloadFromFile()
    {
        var result = TopologyLoader.Load(_topology.SourceFile);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                _logger.LogError("Reload rejected: {Error}", error.ToString());
            }

            _logger.LogWarning("Topology {File} has {Count} error(s); still serving the previous topology", _topology.SourceFile, result.Errors.Count);
            return result;
        }

        Apply(result.Config!);
        return result;
    }

    /// <summary>Applies a validated topology. Listener addresses take effect at the next start (logged).</summary>
    public void Apply(TopologyConfig topology)
    {
        lock (_reloadGate)
        {
            if (!topology.Dns.Listen.SequenceEqual(_topology.Dns.Listen) || !Equals(topology.Control.Listen, _topology.Control.Listen))
            {
                _logger.LogWarning("Listener addresses changed in {File}; they apply after a restart, records and checks apply now", topology.SourceFile);
            }

            Health?.Reload(topology);
            Dns?.Reload(topology, Health!);
            _topology = topology;
            _logger.LogInformation("Applied topology {File}: {Checks} health checks, {Zones} zones", topology.SourceFile,
                topology.HealthChecks.Count, topology.Zones.Count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _watcher?.Dispose();
        if (Control is not null)
        {
            await Control.DisposeAsync().ConfigureAwait(false);
        }

        if (Dns is not null)
        {
            await Dns.DisposeAsync().ConfigureAwait(false);
        }

        if (Health is not null)
        {
            await Health.DisposeAsync().ConfigureAwait(false);
        }
    }
}
