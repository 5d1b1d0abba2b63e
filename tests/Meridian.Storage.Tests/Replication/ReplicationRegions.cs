using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Meridian.Storage.Replication;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Storage.Tests.Replication;

/// <summary>
/// Two real stores on loopback ("us" with bucket src, "eu" with bucket dst, both versioned), each with its
/// replicator as the topology says, and an AWSSDK client per store. Fixed ports picked at start so a store can be
/// stopped and started again at the same address (destination down, then up).
/// </summary>
internal sealed class ReplicationRegions : IAsyncDisposable
{
    public const string AccessKey = "AKIDREPLTEST";
    public const string SecretKey = "replication-test-secret";
    private static int s_next;

    private readonly Dictionary<string, Region> _regions = new(StringComparer.Ordinal);

    private ReplicationRegions(StorageConfig storage, ReplicationOptions options)
    {
        Storage = storage;
        Options = options;
    }

    public StorageConfig Storage { get; private set; }

    public ReplicationOptions Options { get; }

    public Region Us => _regions["us"];

    public Region Eu => _regions["eu"];

    public sealed class Region
    {
        public required ObjectStoreConfig Config { get; set; }
        public ObjectStoreServer? Server { get; set; }
        public ReplicationEngine? Engine { get; set; }
        public MissingReadProxy? MissingReads { get; set; }
        public required AmazonS3Client Client { get; init; }
    }

    /// <summary>Rules on us/src (and optionally eu/dst) as the topology file would give them.</summary>
    public static async Task<ReplicationRegions> StartAsync(IReadOnlyList<ReplicationRuleConfig> usRules, IReadOnlyList<ReplicationRuleConfig>? euRules = null,
        ReplicationOptions? options = null, bool startEngines = true)
    {
        var n = Interlocked.Increment(ref s_next);
        var root = Path.Combine(Path.GetTempPath(), "meridian-repl-" + Guid.NewGuid().ToString("N"));
        ObjectStoreConfig Store(string name, string region, int octet, string bucket, IReadOnlyList<ReplicationRuleConfig> rules)
        {
            var address = IPAddress.Parse($"127.0.{60 + (n % 150)}.{octet}");
            return new ObjectStoreConfig
            {
                Name = name, Region = region, Listen = new IPEndPoint(address, FreePort(address)), DataDirectory = Path.Combine(root, name),
                Buckets = [new BucketConfig { Name = bucket, Versioning = true, Replication = rules }],
            };
        }
        var us = Store("us", "us-east-1", 1, "src", usRules);
        var eu = Store("eu", "eu-west-1", 2, "dst", euRules ?? []);
        var storage = new StorageConfig([new StorageCredentialConfig(AccessKey, SecretKey)], [us, eu]);
        var regions = new ReplicationRegions(storage, options ?? new ReplicationOptions { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(500) });
        regions._regions["us"] = new Region { Config = us, Client = NewClient(us) };
        regions._regions["eu"] = new Region { Config = eu, Client = NewClient(eu) };
        await regions.StartStoreAsync("eu", startEngines);
        await regions.StartStoreAsync("us", startEngines);
        return regions;
    }

    public string Root => Path.GetDirectoryName(Us.Config.DataDirectory)!;

    /// <summary>Starts (again) a store and, when asked, its replicator on the same data directory and address.</summary>
    public async Task StartStoreAsync(string name, bool withEngine = true)
    {
        var region = _regions[name];
        var server = new ObjectStoreServer(region.Config, Storage.Credentials, TimeProvider.System, NullLoggerFactory.Instance);
        var engine = withEngine ? ReplicationSetup.Attach(server, Storage, TimeProvider.System, NullLoggerFactory.Instance, Options) : null;
        region.MissingReads = ReplicationSetup.AttachMissingReads(server, Storage);
        await server.StartAsync();
        engine?.Resume();
        region.Server = server;
        region.Engine = engine;
    }

    /// <summary>Stops a store and its replicator without draining (what is owed stays in the journal).</summary>
    public async Task StopStoreAsync(string name)
    {
        var region = _regions[name];
        if (region.Engine is { } engine)
        {
            await engine.DisposeAsync();
        }
        if (region.Server is { } server)
        {
            await server.DisposeAsync();
        }
        region.MissingReads?.Dispose();
        region.MissingReads = null;
        region.Engine = null;
        region.Server = null;
    }

    /// <summary>Replaces the rules of a store's bucket (takes effect at its next start).</summary>
    public void SetRules(string name, IReadOnlyList<ReplicationRuleConfig> rules)
    {
        var region = _regions[name];
        region.Config = region.Config with { Buckets = [region.Config.Buckets[0] with { Replication = rules }] };
        Storage = Storage with { Stores = Storage.Stores.Select(s => s.Name == name ? region.Config : s).ToArray() };
    }

    public static ReplicationRuleConfig Rule(string id, int priority = 0, string prefix = "", bool deleteMarkers = false,
        IReadOnlyDictionary<string, string>? tags = null, string store = "eu", string bucket = "dst", bool proxyMissingReads = false) => new()
        {
            Id = id, Priority = priority, Prefix = prefix, DeleteMarkerReplication = deleteMarkers, Tags = tags ?? new Dictionary<string, string>(),
            DestinationStore = store, DestinationBucket = bucket, ProxyMissingReads = proxyMissingReads,
        };

    private static AmazonS3Client NewClient(ObjectStoreConfig store) => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = $"http://{store.Listen}", ForcePathStyle = true, AuthenticationRegion = store.Region, MaxErrorRetry = 0,
    });

    private static int FreePort(IPAddress address)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public static async Task<PutObjectResponse> PutAsync(AmazonS3Client client, string bucket, string key, string body,
        Action<PutObjectRequest>? configure = null)
    {
        var request = new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = body };
        configure?.Invoke(request);
        return await client.PutObjectAsync(request);
    }

    public static async Task<string> ReadAsync(AmazonS3Client client, string bucket, string key, string? versionId = null)
    {
        using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId });
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Polls until the source version's replication status is <paramref name="status"/> (bounded).</summary>
    public static async Task WaitStatusAsync(AmazonS3Client client, string bucket, string key, string? versionId, string status, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        string? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            var head = await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key, VersionId = versionId });
            seen = head.ReplicationStatus?.Value;
            if (seen == status)
            {
                return;
            }
            await Task.Delay(20);
        }
        Assert.Fail($"{bucket}/{key}: replication status stayed '{seen}', expected '{status}'");
    }

    public static async Task<IReadOnlyList<S3ObjectVersion>> VersionsAsync(AmazonS3Client client, string bucket, string key)
    {
        var list = await client.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Prefix = key });
        return (list.Versions ?? []).Where(v => v.Key == key).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _regions.Keys.ToArray())
        {
            await StopStoreAsync(name);
            _regions[name].Client.Dispose();
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
