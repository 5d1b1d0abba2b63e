using System.Net;
using Meridian.Hosting.Outage;
using Meridian.Storage;
using Meridian.Storage.Replication;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging;

namespace Meridian.Hosting.Components;

/// <summary>
/// One region's object store as a host component: started with the host and stoppable in place for a region
/// outage (a stopped store refuses connections; starting opens the same data directory again).
/// </summary>
internal sealed class StorageComponent(ObjectStoreConfig config, StorageConfig storage, TimeProvider time, ILoggerFactory loggers)
    : IRegionComponent, IAsyncDisposable
{
    private readonly IReadOnlyList<StorageCredentialConfig> credentials = storage.Credentials;
    private ObjectStoreServer? _current;
    private ReplicationEngine? _replication;
    private MissingReadProxy? _missingReads;

    public string Region => config.Region;

    public string Name => $"object store {config.Name}";

    public ObjectStoreServer? Current => _current;

    /// <summary>The store's replicator (null without rules or while the region is down).</summary>
    public ReplicationEngine? Replication => _replication;

    public IReadOnlyList<IPEndPoint> Endpoints => [_current?.Endpoint ?? config.Listen];

    public async Task StartAsync(CancellationToken token)
    {
        var server = new ObjectStoreServer(config, credentials, time, loggers);
        ReplicationEngine? replication = null;
        try
        {
            // Attached before the listener starts so no acknowledged write misses its replication.
            replication = ReplicationSetup.Attach(server, storage, time, loggers);
            _missingReads = ReplicationSetup.AttachMissingReads(server, storage);
            await server.StartAsync(token);
            replication?.Resume();
        }
        catch
        {
            if (replication is not null)
            {
                await replication.DisposeAsync();
            }
            await server.DisposeAsync();
            throw;
        }

        _replication = replication;
        _current = server;
    }

    public async Task StopAsync(CancellationToken token)
    {
        if (Interlocked.Exchange(ref _replication, null) is { } replication)
        {
            await replication.DisposeAsync(); // what is owed stays journaled for the next start
        }
        if (Interlocked.Exchange(ref _current, null) is { } server)
        {
            await server.DisposeAsync();
        }
        Interlocked.Exchange(ref _missingReads, null)?.Dispose();
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));
}
