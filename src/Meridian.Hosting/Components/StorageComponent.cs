using System.Net;
using Meridian.Hosting.Outage;
using Meridian.Storage;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging;

namespace Meridian.Hosting.Components;

/// <summary>
/// One region's object store as a host component: started with the host and stoppable in place for a region
/// outage (a stopped store refuses connections; starting opens the same data directory again).
/// </summary>
internal sealed class StorageComponent(ObjectStoreConfig config, IReadOnlyList<StorageCredentialConfig> credentials, TimeProvider time, ILoggerFactory loggers)
    : IRegionComponent, IAsyncDisposable
{
    private ObjectStoreServer? _current;

    public string Region => config.Region;

    public string Name => $"object store {config.Name}";

    public ObjectStoreServer? Current => _current;

    public IReadOnlyList<IPEndPoint> Endpoints => [_current?.Endpoint ?? config.Listen];

    public async Task StartAsync(CancellationToken token)
    {
        var server = new ObjectStoreServer(config, credentials, time, loggers);
        try
        {
            await server.StartAsync(token);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        _current = server;
    }

    public async Task StopAsync(CancellationToken token)
    {
        if (Interlocked.Exchange(ref _current, null) is { } server)
        {
            await server.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));
}
