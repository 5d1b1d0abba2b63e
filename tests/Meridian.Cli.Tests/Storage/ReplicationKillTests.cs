using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Meridian.Cli.Tests.Support;

namespace Meridian.Cli.Tests.Storage;

/// <summary>
/// Replication across real processes: `meridian run --roles storage` per region, the source killed with SIGKILL
/// while replication is owed (destination down), then everything started again: nothing acknowledged is lost.
/// </summary>
public sealed class ReplicationKillTests
{
    private const string AccessKey = "AKIDKILLTEST";
    private const string SecretKey = "kill-test-secret-key";

    [Fact]
    public async Task Run_KilledWithOwedReplication_RestartReplicatesEverything()
    {
        var control = FreePorts.Tcp();
        var us = $"127.0.7.1:{FreePorts.Tcp()}";
        var eu = $"127.0.7.2:{FreePorts.Tcp()}";
        using var file = TopologyFile.Create($$"""
            regions:
              us-east-1: { address: 127.0.0.11 }
              eu-west-1: { address: 127.0.0.12 }
            control:
              listen: 127.0.0.1:{{control}}
            storage:
              credentials: [{ access_key: {{AccessKey}}, secret_key: {{SecretKey}} }]
              stores:
                us:
                  region: us-east-1
                  listen: {{us}}
                  data_dir: us
                  buckets:
                    src: { versioning: true, replication: { to-eu: { delete_marker_replication: true, destination: { store: eu, bucket: dst } } } }
                eu:
                  region: eu-west-1
                  listen: {{eu}}
                  data_dir: eu
                  buckets: { dst: { versioning: true } }
            """);
        using var usClient = Client(us, "us-east-1");
        using var euClient = Client(eu, "eu-west-1");
        string[] Run(string region, string roles) => ["run", "--config", file.Path, "--region", region, "--roles", roles];

        var versions = new List<string>();
        await using (var source = CliProcess.Start(Run("us-east-1", "storage,control")))
        {
            await Eventually.Until(async () => (await usClient.ListBucketsAsync()).Buckets?.Count == 1, TimeSpan.FromSeconds(30), "the us store answers");
            for (var i = 0; i < 20; i++)
            {
                var put = await usClient.PutObjectAsync(new PutObjectRequest { BucketName = "src", Key = $"k/{i}", ContentBody = $"body {i}" });
                versions.Add(put.VersionId);
            }
            await usClient.DeleteObjectAsync("src", "k/0");
            var head = await usClient.GetObjectMetadataAsync("src", "k/1");
            Assert.Equal("PENDING", head.ReplicationStatus.Value); // eu is not running: owed
            var status = await CliProcess.RunAsync("storage", "replication", "--control", $"http://127.0.0.1:{control}");
            Assert.Contains("to-eu", status.Stdout, StringComparison.Ordinal);
            Assert.Matches(@"src\s+to-eu\s+eu/dst\s+21\s", status.Stdout);
        } // disposing kills the process tree with SIGKILL: no graceful shutdown, no drain

        await using var destination = CliProcess.Start(Run("eu-west-1", "storage"));
        await using var restarted = CliProcess.Start(Run("us-east-1", "storage,control"));
        await Eventually.Until(async () =>
        {
            var list = await euClient.ListVersionsAsync(new ListVersionsRequest { BucketName = "dst" });
            return list.Versions?.Count == 21;
        }, TimeSpan.FromSeconds(60), "all 20 versions and the delete marker reach eu after the restart");
        for (var i = 1; i < 20; i++)
        {
            using var get = await euClient.GetObjectAsync("dst", $"k/{i}");
            Assert.Equal(versions[i], get.VersionId);
            Assert.Equal("REPLICA", get.ReplicationStatus.Value);
        }
        await Eventually.Until(async () => (await usClient.GetObjectMetadataAsync("src", "k/19")).ReplicationStatus.Value == "COMPLETED",
            TimeSpan.FromSeconds(30), "the source shows COMPLETED");

        // Batch replication finds nothing left; its progress and total are printed.
        var existing = await CliProcess.RunAsync("storage", "replicate-existing", "src", "--control", $"http://127.0.0.1:{control}");
        Assert.True(existing.ExitCode == 0, existing.ToString());
        Assert.True(existing.Stdout.Contains("done: 20 key(s) in src, 0 object(s) queued", StringComparison.Ordinal), existing.ToString());
        var unknown = await CliProcess.RunAsync("storage", "replicate-existing", "nope", "--control", $"http://127.0.0.1:{control}");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no replication rules for bucket 'nope'", unknown.Stderr, StringComparison.Ordinal);
    }

    private static AmazonS3Client Client(string endpoint, string region) => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = $"http://{endpoint}", ForcePathStyle = true, AuthenticationRegion = region, MaxErrorRetry = 0,
    });
}
