using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Meridian.Cli.Tests.Support;

namespace Meridian.Cli.Tests.Cli;

/// <summary>
/// `meridian run --roles storage` killed with SIGKILL mid-upload: every write acknowledged before the kill is there
/// after a restart, byte for byte, and the upload that was in flight left nothing visible.
/// </summary>
public sealed class StorageKillTests
{
    private const string AccessKey = "AKIDKILLTEST";
    private const string SecretKey = "kill-test-secret-key";

    [Fact]
    public async Task KillDashNine_MidUpload_AcknowledgedWritesSurviveAndPartialInvisible()
    {
        var address = $"127.66.{Random.Shared.Next(1, 250)}.1";
        var port = FreePort(address);
        using var file = TopologyFile.Create($$"""
            regions:
              us-east-1: { address: {{address}} }
            storage:
              credentials: [{ access_key: {{AccessKey}}, secret_key: {{SecretKey}} }]
              stores:
                us-east-1:
                  region: us-east-1
                  listen: {{address}}:{{port}}
                  data_dir: ./data
                  buckets: { kill-test: { versioning: true } }
            """);
        var acknowledged = new Dictionary<string, (string VersionId, byte[] Sha)>();
        await using (var first = await StartAsync(file))
        {
            using var s3 = Client(address, port);
            for (var i = 0; i < 30; i++)
            {
                var data = RandomNumberGenerator.GetBytes(Random.Shared.Next(1, 200_000));
                var key = i < 25 ? $"obj-{i}" : "same-key";
                var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = "kill-test", Key = key, InputStream = new MemoryStream(data) });
                acknowledged[key + "@" + put.VersionId] = (put.VersionId, SHA256.HashData(data));
            }

            // A big upload in flight: kill once its temp file is growing (so the kill lands mid-write, not before it).
            var big = s3.PutObjectAsync(new PutObjectRequest { BucketName = "kill-test", Key = "in-flight", InputStream = new MemoryStream(new byte[300 * 1024 * 1024]) });
            var tmp = Path.Combine(file.Directory, "data", "tmp");
            await Eventually.Until(() => Directory.Exists(tmp) && Directory.GetFiles(tmp).Any(f => new FileInfo(f).Length > 1024 * 1024), TimeSpan.FromSeconds(30),
                "the in-flight upload to reach the temp file");
            Process(first).Kill(); // SIGKILL: no shutdown code runs
            await Assert.ThrowsAnyAsync<Exception>(() => big);
        }

        await using var second = await StartAsync(file);
        using var again = Client(address, port);
        foreach (var (entry, (versionId, sha)) in acknowledged)
        {
            var key = entry[..entry.IndexOf('@')];
            using var get = await again.GetObjectAsync(new GetObjectRequest { BucketName = "kill-test", Key = key, VersionId = versionId });
            using var copy = new MemoryStream();
            await get.ResponseStream.CopyToAsync(copy);
            Assert.Equal(sha, SHA256.HashData(copy.ToArray()));
        }
        var versions = await again.ListVersionsAsync("kill-test");
        Assert.Equal(5, versions.Versions.Count(v => v.Key == "same-key"));
        Assert.DoesNotContain(versions.Versions, v => v.Key == "in-flight");
        Assert.Empty(Directory.GetFiles(Path.Combine(file.Directory, "data", "tmp")));
    }

    private static async Task<CliProcess> StartAsync(TopologyFile file)
    {
        var cli = CliProcess.Start("run", "--config", file.Path, "--roles", "storage");
        await cli.WaitForLineAsync("listening on", TimeSpan.FromSeconds(30));
        return cli;
    }

    private static System.Diagnostics.Process Process(CliProcess cli) => System.Diagnostics.Process.GetProcessById(cli.Id);

    private static AmazonS3Client Client(string address, int port) =>
        new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
        {
            ServiceURL = $"http://{address}:{port}", ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0,
        });

    private static int FreePort(string address)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
