using Meridian.Database.Binaries;
using Meridian.Database.Failover;
using Meridian.Database.Monitoring;
using Meridian.Database.Servers;
using Meridian.Database.Setup;
using Meridian.Database.Status;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging;

namespace Meridian.Database;

/// <summary>
/// One orchestrated PostgreSQL cluster: set up (or adopted), then watched every <c>check_interval</c> by its
/// <see cref="FailoverController"/>. Disposing stops the watch loop, and the servers too when asked to (tests, demo).
/// </summary>
public sealed class DatabaseCluster : IAsyncDisposable
{
    private readonly ClusterOperations? _operations;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _stopServersOnDispose;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _disposed;

    private DatabaseCluster(DatabaseClusterConfig config, ClusterOperations? operations, FailoverController controller, TimeProvider time, ILogger logger, bool stopServers)
    {
        Config = config;
        _operations = operations;
        Controller = controller;
        _time = time;
        _logger = logger;
        _stopServersOnDispose = stopServers;
    }

    public DatabaseClusterConfig Config { get; }

    public FailoverController Controller { get; }

    /// <summary>Sets up (or resumes, or adopts) the cluster and starts watching it. Throws <see cref="DatabaseException"/> with the reason.</summary>
    public static async Task<DatabaseCluster> StartAsync(DatabaseClusterConfig config, TimeProvider time, DatabaseEventLog events, ILogger logger,
        bool stopServersOnDispose, CancellationToken token)
    {
        ClusterOperations? operations = null;
        string writer;
        var probe = new PostgresMemberProbe(config.Credentials, time, ProbeTimeout(config));
        if (config.Adopt)
        {
            writer = await FindAdoptedWriterAsync(config, probe, token).ConfigureAwait(false);
            if (config.Members.All(m => m.DataDir.Length > 0 && Directory.Exists(m.DataDir)))
            {
                // Adopted but local: fencing, promotion and rejoin work on the files; nothing is created.
                operations = new ClusterOperations(config, PostgresBinaries.Locate(config.BinDir, $"databases.{config.Name}.bin_dir"));
            }
        }
        else
        {
            var binaries = PostgresBinaries.Locate(config.BinDir, $"databases.{config.Name}.bin_dir");
            operations = new ClusterOperations(config, binaries);
            writer = await new ClusterBootstrapper(operations, m => logger.LogInformation("Database {Cluster}: {Step}", config.Name, m))
                .RunAsync(token).ConfigureAwait(false);
        }
        IClusterActions actions = operations is null ? new AdoptedClusterActions() : new PostgresClusterActions(operations);
        var controller = new FailoverController(config, writer, probe, actions, time, events);
        var cluster = new DatabaseCluster(config, operations, controller, time, logger, stopServersOnDispose && operations is not null);
        await controller.TickAsync(token).ConfigureAwait(false);
        cluster._loop = Task.Run(() => cluster.LoopAsync(cluster._stop.Token), CancellationToken.None);
        return cluster;
    }

    /// <summary>Probes are bounded by the check interval (at least 1 s: connection set-up alone can take a few hundred ms).</summary>
    private static TimeSpan ProbeTimeout(DatabaseClusterConfig config) =>
        config.Failover.CheckInterval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : config.Failover.CheckInterval;

    private static async Task<string> FindAdoptedWriterAsync(DatabaseClusterConfig config, IMemberProbe probe, CancellationToken token)
    {
        var observations = await Task.WhenAll(config.Members.Select(m => probe.ProbeAsync(m, token))).ConfigureAwait(false);
        var writable = observations.Where(o => o.IsWritable).OrderByDescending(o => o.Timeline).ToList();
        if (writable.Count == 0)
        {
            var problems = string.Join("; ", observations.Select(o => o.Reachable ? $"{o.Member}: replica" : o.Error));
            throw new DatabaseException($"database cluster '{config.Name}' (adopt: true): no member accepts writes ({problems})");
        }
        return writable[0].Member;
    }

    public ClusterStatus Status() => ClusterStatus.From(Config, Controller);

    public Task<FailoverRecord> SwitchoverAsync(string target, CancellationToken token) =>
        Controller.SwitchoverAsync(target, TimeSpan.FromSeconds(30), token);

    /// <summary>Whether Meridian runs this member's server here (it can then be stopped and started for a region outage).</summary>
    public bool HasLocalServer(string member) => Server(member) is not null;

    /// <summary>
    /// A region outage: the member's server stops at once (immediate shutdown, no checkpoint: as close to the region
    /// vanishing as a clean stop gets). The failover controller sees it at its next check.
    /// </summary>
    public Task StopMemberAsync(string member, CancellationToken token) =>
        Server(member)?.StopAsync(immediate: true, token) ?? Task.CompletedTask;

    /// <summary>The region is back: the member's server starts again (a fenced former primary comes back as a standby).</summary>
    public Task StartMemberAsync(string member, CancellationToken token) =>
        Server(member)?.StartAsync(token) ?? Task.CompletedTask;

    /// <summary>The local server of a member (null for adopted clusters): tests and drills stop or kill it.</summary>
    internal LocalServer? Server(string member) => _operations?.Servers.GetValueOrDefault(member);

    private async Task LoopAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(Config.Failover.CheckInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                try
                {
                    await Controller.TickAsync(token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One failed check must not end the watch; it is logged and the next one runs.
                    _logger.LogError(ex, "Database {Cluster}: check failed", Config.Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        if (_stopServersOnDispose && _operations is not null)
        {
            foreach (var server in _operations.Servers.Values)
            {
                try
                {
                    await server.StopAsync(immediate: true, CancellationToken.None).ConfigureAwait(false);
                }
                catch (DatabaseException ex)
                {
                    _logger.LogWarning("Database {Cluster}: {Error}", Config.Name, ex.Message);
                }
            }
        }
        _stop.Dispose();
    }
}
