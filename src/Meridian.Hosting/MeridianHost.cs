using System.Net;
using Meridian.Database;
using Meridian.Database.Failover;
using Meridian.Dns;
using Meridian.Edge;
using Meridian.Health;
using Meridian.Hosting.Components;
using Meridian.Hosting.Control;
using Meridian.Hosting.Outage;
using Meridian.Hosting.Reload;
using Meridian.Topology;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging;

namespace Meridian.Hosting;

/// <summary>
/// Runs the roles of one Meridian process from a topology: health monitor, DNS server, regional load balancers,
/// edge locations, control API. Applies a new topology atomically (health first, then a recompiled DNS snapshot,
/// then balancers and edge); an invalid file is rejected and the running topology stays.
/// </summary>
public sealed class MeridianHost : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Lock _reloadGate = new();
    private readonly List<BalancerComponent> _balancers = [];
    private readonly List<StorageComponent> _stores = [];
    private readonly List<DatabaseCluster> _databases = [];
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
            Dns = new GslbDnsServer(topology, Health!, loggers) { Time = options.TimeProvider };
        }

        Outages = new RegionOutageController(loggers.CreateLogger("Meridian.Outage"));
        if (options.Roles.HasFlag(MeridianRole.Balancer))
        {
            foreach (var balancer in topology.LoadBalancers.Where(b => InRegion(b.Region)))
            {
                var component = new BalancerComponent(balancer, options.TimeProvider, loggers);
                _balancers.Add(component);
                Outages.Register(component);
            }
        }

        if (options.Roles.HasFlag(MeridianRole.Storage))
        {
            foreach (var store in topology.Storage.Stores.Where(s => InRegion(s.Region)))
            {
                var component = new StorageComponent(store, topology.Storage, options.TimeProvider, loggers);
                _stores.Add(component);
                Outages.Register(component);
            }
        }

        if (options.Roles.HasFlag(MeridianRole.Edge) && EdgeFor(topology) is { Locations.Count: > 0 } edge)
        {
            Edge = new EdgeServer(edge, options.TimeProvider, loggers);
        }

        if (options.Roles.HasFlag(MeridianRole.Control))
        {
            Control = new ControlApi(this, loggers);
        }
    }

    private bool InRegion(string? region) => Options.Region is null || region is null || region == Options.Region;

    /// <summary>The edge locations this process serves: those of --region (and unplaced ones), or all.</summary>
    private EdgeConfig EdgeFor(TopologyConfig topology) =>
        topology.Edge with { Locations = topology.Edge.Locations.Where(l => InRegion(l.Region)).ToArray() };

    /// <summary>What of the storage section needs a restart to apply (records hold lists, so compare by value here).</summary>
    private static string StorageShape(TopologyConfig topology) => string.Join(";",
        topology.Storage.Credentials.Select(c => c.AccessKey + ":" + c.SecretKey.GetHashCode(StringComparison.Ordinal)).Concat(
            topology.Storage.Stores.Select(s => $"{s.Name}|{s.Region}|{s.Listen}|{s.DataDirectory}|" +
                string.Join(',', s.Buckets.Select(b => $"{b.Name}/{b.Versioning}/{b.PublicRead}/" +
                    string.Join('+', b.Replication.Select(r => $"{r.Id}:{r.Enabled}:{r.Priority}:{r.Prefix}:{string.Join('&', r.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))}:" +
                        $"{r.DestinationStore}{r.DestinationEndpoint}/{r.DestinationBucket}:{r.DeleteMarkerReplication}:{r.DestinationCredentials?.AccessKey}")))))));

    public MeridianHostOptions Options { get; }

    public TopologyConfig Topology => _topology;

    public HealthMonitor? Health { get; }

    public GslbDnsServer? Dns { get; }

    public ControlApi? Control { get; }

    public EdgeServer? Edge { get; }

    /// <summary>The PostgreSQL clusters this process orchestrates (database role), once started.</summary>
    public IReadOnlyList<DatabaseCluster> Databases => _databases;

    /// <summary>Failover decisions and member changes of every database cluster.</summary>
    public DatabaseEventLog DatabaseEvents { get; } = new();

    /// <summary>The load balancers this process runs (the current instance of each; null while its region is down).</summary>
    public IReadOnlyList<Balancer.RegionalLoadBalancer> Balancers =>
        _balancers.Select(b => b.Current).OfType<Balancer.RegionalLoadBalancer>().ToArray();

    /// <summary>The object stores this process runs (the current instance of each; null while its region is down).</summary>
    public IReadOnlyList<Storage.ObjectStoreServer> Stores => _stores.Select(s => s.Current).OfType<Storage.ObjectStoreServer>().ToArray();

    /// <summary>The replicators of this process's stores (those with rules and up).</summary>
    public IReadOnlyList<Storage.Replication.ReplicationEngine> Replication =>
        _stores.Select(s => s.Replication).OfType<Storage.Replication.ReplicationEngine>().ToArray();

    /// <summary>Takes this process's components of a region down and back (drills).</summary>
    public RegionOutageController Outages { get; }

    /// <summary>The control API's bound address once started (useful when the topology says port 0).</summary>
    public IPEndPoint? ControlEndpoint => Control?.Endpoint;

    /// <summary>Binds listeners and starts checks. Throws with a message naming the field when a bind fails.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        Dns?.Start();
        Health?.Start();
        foreach (var balancer in _balancers)
        {
            await balancer.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var store in _stores)
        {
            await store.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Edge is not null)
        {
            await Edge.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Options.Roles.HasFlag(MeridianRole.Database))
        {
            foreach (var database in _topology.Databases)
            {
                // Throws DatabaseException naming the cluster and what failed (set-up cleans up after itself).
                var cluster = await DatabaseCluster.StartAsync(database, Options.TimeProvider, DatabaseEvents,
                    _loggers.CreateLogger("Meridian.Database"), Options.StopDatabasesOnExit, cancellationToken).ConfigureAwait(false);
                _databases.Add(cluster);
                // The members whose servers run here go down with their region in a drill.
                foreach (var member in database.Members.Where(m => InRegion(m.Region) && cluster.HasLocalServer(m.Name)))
                {
                    Outages.Register(new DatabaseMemberComponent(cluster, member));
                }
            }
        }

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
            foreach (var balancer in _balancers)
            {
                if (topology.LoadBalancers.FirstOrDefault(b => b.Name == balancer.Config.Name) is { } updated)
                {
                    balancer.Apply(updated);
                }
            }

            if (StorageShape(topology) != StorageShape(_topology))
            {
                _logger.LogWarning("Object stores or storage credentials changed in {File}; that applies after a restart", topology.SourceFile);
            }

            if (topology.LoadBalancers.Select(b => b.Name).Except(_balancers.Select(b => b.Config.Name)).Any() ||
                topology.Edge.Locations.Count != (Edge is null ? 0 : _topology.Edge.Locations.Count))
            {
                _logger.LogWarning("Load balancers or edge locations were added or removed in {File}; that applies after a restart", topology.SourceFile);
            }

            Edge?.Apply(EdgeFor(topology));
            if (!topology.Databases.Select(d => d.Name).SequenceEqual(_topology.Databases.Select(d => d.Name)))
            {
                _logger.LogWarning("Database clusters were added or removed in {File}; that applies after a restart", topology.SourceFile);
            }

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

        if (Edge is not null)
        {
            await Edge.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var balancer in _balancers)
        {
            await balancer.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var store in _stores)
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var database in _databases)
        {
            await database.DisposeAsync().ConfigureAwait(false);
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
