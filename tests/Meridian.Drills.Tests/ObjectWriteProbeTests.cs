using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Meridian.Drills.Data;
using Meridian.Storage;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Drills.Tests;

/// <summary>
/// The drill's object writer against two real object stores on loopback: the drilled region's store is stopped
/// (connections refused) mid-run, as the demo's refuse-mode outage does.
/// </summary>
public sealed class ObjectWriteProbeTests : IAsyncLifetime
{
    private const string AccessKey = "AKIDDRILLTEST";
    private const string SecretKey = "drill-test-secret";
    private static readonly StorageCredentialConfig[] Credentials = [new(AccessKey, SecretKey)];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "meridian-drill-objects-" + Guid.NewGuid().ToString("N"));
    private ObjectStoreServer? _source;
    private ObjectStoreServer? _replica;
    private ObjectStoreConfig? _sourceConfig;

    public async Task InitializeAsync()
    {
        _sourceConfig = Store("us-east-1", "127.0.6.1", "src");
        _source = await StartAsync(_sourceConfig);
        _replica = await StartAsync(Store("eu-west-1", "127.0.6.2", "dst"));
    }

    public async Task DisposeAsync()
    {
        if (_source is not null)
        {
            await _source.DisposeAsync();
        }

        if (_replica is not null)
        {
            await _replica.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Run_SourceDownWithoutReplication_EveryObjectAckedBeforeOutageIsMissing()
    {
        using var probe = Probe();
        var (report, _) = await DrillAsync(probe, copyBeforeOutage: 0);

        Assert.True(report.AcknowledgedBeforeOutage >= 5, $"{report.AcknowledgedBeforeOutage} acknowledged before the outage");
        Assert.Equal(report.AcknowledgedBeforeOutage, report.MissingInSurvivorDuringOutage);
        Assert.Equal(report.AcknowledgedBeforeOutage, report.MissingAfterRecovery);
        Assert.True(report.WrittenToSurvivor > 0, "the writer failed over to the surviving region");
        Assert.NotNull(report.WriteRecovery);
        Assert.All(report.MissingKeys, k => Assert.StartsWith(probe.RunPrefix, k, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_ObjectsPresentInSurvivor_NotCountedMissing()
    {
        using var probe = Probe();
        var (report, copied) = await DrillAsync(probe, copyBeforeOutage: 3);

        Assert.Equal(3, copied);
        Assert.Equal(report.AcknowledgedBeforeOutage - 3, report.MissingInSurvivorDuringOutage);
    }

    [Fact]
    public void Probe_RateOutOfBounds_Refused()
    {
        var options = Options() with { Rate = 10_000 };
        Assert.Throws<DrillException>(() => new ObjectWriteProbe(options, TimeProvider.System, TimeSpan.FromSeconds(1)));
    }

    /// <summary>
    /// Writes for a while, starts the outage (stops the source store), lists the survivor, restores, finishes.
    /// <paramref name="copyBeforeOutage"/> objects are copied to the survivor first, standing in for replication.
    /// </summary>
    private async Task<(ObjectTierReport Report, int Copied)> DrillAsync(ObjectWriteProbe probe, int copyBeforeOutage)
    {
        var start = TimeProvider.System.GetTimestamp();
        using var stop = new CancellationTokenSource();
        var running = probe.RunAsync(start, stop.Token);
        using var source = Client(_source!.Endpoint, "us-east-1");
        using var replica = Client(_replica!.Endpoint, "eu-west-1");
        await PollAsync(async () => (await KeysAsync(source, "src", probe.RunPrefix)).Count >= 6);

        var copied = 0;
        foreach (var key in (await KeysAsync(source, "src", probe.RunPrefix)).Order(StringComparer.Ordinal).Take(copyBeforeOutage))
        {
            using var get = await source.GetObjectAsync("src", key);
            using var body = new MemoryStream();
            await get.ResponseStream.CopyToAsync(body);
            body.Position = 0;
            await replica.PutObjectAsync(new PutObjectRequest { BucketName = "dst", Key = key, InputStream = body });
            copied++;
        }

        await probe.OnOutageAsync(TimeProvider.System.GetElapsedTime(start), CancellationToken.None);
        await _source.DisposeAsync();
        _source = null;
        await PollAsync(async () => (await KeysAsync(replica, "dst", probe.RunPrefix)).Count >= copied + 3); // failed-over writes
        await probe.BeforeRestoreAsync(CancellationToken.None);
        _source = await StartAsync(_sourceConfig!);
        await stop.CancelAsync();
        await running;
        return (await probe.FinishAsync(CancellationToken.None), copied);
    }

    private ObjectWriteProbe Probe() => new(Options(), TimeProvider.System, TimeSpan.FromSeconds(1));

    private ObjectDrillOptions Options() => new()
    {
        SourceEndpoint = new Uri("http://127.0.6.1:" + _source!.Endpoint.Port),
        SourceRegion = "us-east-1",
        SourceBucket = "src",
        ReplicaEndpoint = new Uri("http://127.0.6.2:" + _replica!.Endpoint.Port),
        ReplicaRegion = "eu-west-1",
        ReplicaBucket = "dst",
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        Rate = 20,
        RecoveryWait = TimeSpan.FromMilliseconds(500),
    };

    private ObjectStoreConfig Store(string region, string address, string bucket) => new()
    {
        Name = region,
        Region = region,
        Listen = new IPEndPoint(IPAddress.Parse(address), 0),
        DataDirectory = Path.Combine(_root, region),
        Buckets = [new BucketConfig { Name = bucket, Versioning = true }],
    };

    private static async Task<ObjectStoreServer> StartAsync(ObjectStoreConfig config)
    {
        var server = new ObjectStoreServer(config, Credentials, TimeProvider.System, NullLoggerFactory.Instance);
        await server.StartAsync();
        return server;
    }

    private static AmazonS3Client Client(IPEndPoint endpoint, string region) =>
        new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
        {
            ServiceURL = $"http://{endpoint}",
            ForcePathStyle = true,
            AuthenticationRegion = region,
            MaxErrorRetry = 0,
        });

    private static async Task<HashSet<string>> KeysAsync(AmazonS3Client client, string bucket, string prefix)
    {
        var page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix });
        return [.. (page.S3Objects ?? []).Select(o => o.Key)];
    }

    private static async Task PollAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 20 s");
            await Task.Delay(50);
        }
    }
}
