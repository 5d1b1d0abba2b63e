using System.Net;
using Meridian.Storage.Events;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Storage.Tests.Support;

/// <summary>A store on its own loopback address (port 0) with a fresh data directory, removed on dispose.</summary>
internal sealed class TestStore : IAsyncDisposable
{
    public const string AccessKey = "AKIDSTORAGETEST";
    public const string SecretKey = "storage-test-secret-key";
    public const string Region = "us-east-1";

    private TestStore(ObjectStoreServer server, string dataDirectory, ObjectStoreConfig config)
    {
        Server = server;
        DataDirectory = dataDirectory;
        Config = config;
    }

    public ObjectStoreServer Server { get; }

    public string DataDirectory { get; }

    public ObjectStoreConfig Config { get; }

    public string Url => $"http://{Server.Endpoint}";

    public static readonly IReadOnlyList<StorageCredentialConfig> Credentials = [new(AccessKey, SecretKey)];

    public static async Task<TestStore> StartAsync(IReadOnlyList<BucketConfig>? buckets = null, string? dataDirectory = null,
        IObjectEventSink? sink = null, TimeProvider? time = null)
    {
        var directory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "meridian-storage-" + Guid.NewGuid().ToString("N"));
        var config = new ObjectStoreConfig
        {
            Name = "test", Region = Region, Listen = new IPEndPoint(IPAddress.Parse("127.0.5.1"), 0), DataDirectory = directory,
            Buckets = buckets ?? [],
        };
        var server = new ObjectStoreServer(config, Credentials, time ?? TimeProvider.System, NullLoggerFactory.Instance, sink);
        await server.StartAsync();
        return new TestStore(server, directory, config);
    }

    /// <summary>Stops the server but keeps the data (to start again on the same directory).</summary>
    public async Task StopAsync() => await Server.DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
