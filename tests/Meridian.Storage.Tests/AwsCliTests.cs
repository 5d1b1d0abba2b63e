using System.Security.Cryptography;
using System.Text.Json;
using Meridian.Storage.Tests.Support;
using Meridian.Topology.Model;

namespace Meridian.Storage.Tests;

/// <summary>The real `aws` CLI (botocore) against the store on loopback.</summary>
public sealed class AwsCliTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private AwsCli _aws = null!;
    private readonly string _work = Path.Combine(Path.GetTempPath(), "meridian-cli-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        _store = await TestStore.StartAsync([new BucketConfig { Name = "assets", Versioning = false }]);
        _aws = new AwsCli(_store.Url);
        Directory.CreateDirectory(_work);
    }

    public async Task DisposeAsync()
    {
        _aws.Dispose();
        await _store.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task S3CpLsRm_SmallFile_RoundTrips()
    {
        var file = Path.Combine(_work, "hello.txt");
        await File.WriteAllTextAsync(file, "hello from meridian\n");
        await _aws.OkAsync("s3", "cp", file, "s3://assets/docs/hello.txt");
        var listing = await _aws.OkAsync("s3", "ls", "s3://assets/docs/");
        Assert.Contains("hello.txt", listing);
        Assert.Contains("20", listing); // size column
        var back = Path.Combine(_work, "back.txt");
        await _aws.OkAsync("s3", "cp", "s3://assets/docs/hello.txt", back);
        Assert.Equal("hello from meridian\n", await File.ReadAllTextAsync(back));
        await _aws.OkAsync("s3", "rm", "s3://assets/docs/hello.txt");
        Assert.DoesNotContain("hello.txt", (await _aws.RunAsync("s3", "ls", "s3://assets/docs/")).Stdout);
    }

    [Fact]
    public async Task S3Cp_FileOver8MiB_MultipartUploadWithMultipartEtag()
    {
        var file = Path.Combine(_work, "big.bin");
        var data = RandomNumberGenerator.GetBytes(20 * 1024 * 1024 + 12345);
        await File.WriteAllBytesAsync(file, data);
        await _aws.OkAsync("s3", "cp", file, "s3://assets/big.bin");
        var head = JsonDocument.Parse(await _aws.OkAsync("s3api", "head-object", "--bucket", "assets", "--key", "big.bin")).RootElement;
        Assert.Equal(data.Length, head.GetProperty("ContentLength").GetInt64());
        Assert.EndsWith("-3\"", head.GetProperty("ETag").GetString()); // 8 MiB parts: 8 + 8 + 4
        var back = Path.Combine(_work, "big.back");
        await _aws.OkAsync("s3", "cp", "s3://assets/big.bin", back);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await File.ReadAllBytesAsync(back)));
        var uploads = await _aws.OkAsync("s3api", "list-multipart-uploads", "--bucket", "assets");
        Assert.DoesNotContain("UploadId", uploads);
    }

    [Fact]
    public async Task S3Sync_Directory_UploadsOnlyChangesAndListsRecursively()
    {
        var dir = Path.Combine(_work, "site");
        Directory.CreateDirectory(Path.Combine(dir, "css"));
        await File.WriteAllTextAsync(Path.Combine(dir, "index.html"), "<h1>hi</h1>");
        await File.WriteAllTextAsync(Path.Combine(dir, "css", "a b+c.css"), "body{}");
        await File.WriteAllTextAsync(Path.Combine(dir, "ünïcode.txt"), "u");
        var first = await _aws.OkAsync("s3", "sync", dir, "s3://assets/site");
        Assert.Equal(3, first.Split('\n').Count(l => l.Contains("upload:")));
        var second = await _aws.OkAsync("s3", "sync", dir, "s3://assets/site");
        Assert.DoesNotContain("upload:", second);
        var listing = await _aws.OkAsync("s3", "ls", "--recursive", "s3://assets/site/");
        Assert.Contains("site/css/a b+c.css", listing);
        Assert.Contains("site/ünïcode.txt", listing);
        var top = await _aws.OkAsync("s3", "ls", "s3://assets/site/");
        Assert.Contains("PRE css/", top);
        var down = Path.Combine(_work, "down");
        await _aws.OkAsync("s3", "sync", "s3://assets/site", down);
        Assert.Equal("body{}", await File.ReadAllTextAsync(Path.Combine(down, "css", "a b+c.css")));
        await _aws.OkAsync("s3", "rm", "--recursive", "s3://assets/site");
        Assert.Equal("", (await _aws.RunAsync("s3", "ls", "--recursive", "s3://assets/site/")).Stdout.Trim());
    }

    [Fact]
    public async Task S3Api_VersioningVersionsHeadAndReplication_Work()
    {
        await _aws.OkAsync("s3api", "create-bucket", "--bucket", "versioned");
        await _aws.OkAsync("s3api", "put-bucket-versioning", "--bucket", "versioned", "--versioning-configuration", "Status=Enabled");
        var status = await _aws.OkAsync("s3api", "get-bucket-versioning", "--bucket", "versioned");
        Assert.Contains("Enabled", status);
        var file = Path.Combine(_work, "v.txt");
        await File.WriteAllTextAsync(file, "one");
        var put1 = JsonDocument.Parse(await _aws.OkAsync("s3api", "put-object", "--bucket", "versioned", "--key", "k", "--body", file,
            "--metadata", "color=blue", "--tagging", "team=web")).RootElement;
        await File.WriteAllTextAsync(file, "two!");
        var put2 = JsonDocument.Parse(await _aws.OkAsync("s3api", "put-object", "--bucket", "versioned", "--key", "k", "--body", file)).RootElement;
        Assert.NotEqual(put1.GetProperty("VersionId").GetString(), put2.GetProperty("VersionId").GetString());
        await _aws.OkAsync("s3api", "delete-object", "--bucket", "versioned", "--key", "k");

        var versions = JsonDocument.Parse(await _aws.OkAsync("s3api", "list-object-versions", "--bucket", "versioned")).RootElement;
        Assert.Equal(2, versions.GetProperty("Versions").GetArrayLength());
        var marker = Assert.Single(versions.GetProperty("DeleteMarkers").EnumerateArray());
        Assert.True(marker.GetProperty("IsLatest").GetBoolean());

        var missing = await _aws.RunAsync("s3api", "head-object", "--bucket", "versioned", "--key", "k");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("404", missing.Stderr);
        var old = JsonDocument.Parse(await _aws.OkAsync("s3api", "head-object", "--bucket", "versioned", "--key", "k",
            "--version-id", put1.GetProperty("VersionId").GetString()!)).RootElement;
        Assert.Equal(3, old.GetProperty("ContentLength").GetInt64());
        Assert.Equal("blue", old.GetProperty("Metadata").GetProperty("color").GetString());

        var replication = Path.Combine(_work, "replication.json");
        await File.WriteAllTextAsync(replication, """
            {"Role": "arn:aws:iam::000000000000:role/meridian", "Rules": [{"ID": "all", "Status": "Enabled", "Priority": 1,
              "Filter": {"Prefix": ""}, "DeleteMarkerReplication": {"Status": "Enabled"},
              "Destination": {"Bucket": "arn:aws:s3:::assets-eu-west-1"}}]}
            """);
        await _aws.OkAsync("s3api", "put-bucket-replication", "--bucket", "versioned", "--replication-configuration", "file://" + replication);
        var stored = JsonDocument.Parse(await _aws.OkAsync("s3api", "get-bucket-replication", "--bucket", "versioned")).RootElement;
        Assert.Equal("arn:aws:s3:::assets-eu-west-1", stored.GetProperty("ReplicationConfiguration").GetProperty("Rules")[0]
            .GetProperty("Destination").GetProperty("Bucket").GetString());
        var refused = await _aws.RunAsync("s3api", "put-bucket-replication", "--bucket", "assets", "--replication-configuration", "file://" + replication);
        Assert.Contains("InvalidRequest", refused.Stderr);
        Assert.Contains("Versioning must be 'Enabled'", refused.Stderr);
    }

    [Fact]
    public async Task S3Api_WrongSecret_SignatureDoesNotMatchAndNothingStored()
    {
        var file = Path.Combine(_work, "x.txt");
        await File.WriteAllTextAsync(file, "x");
        using var wrong = new AwsCli(_store.Url) { SecretKey = "wrong-secret-key" };
        var result = await wrong.RunAsync("s3api", "put-object", "--bucket", "assets", "--key", "x", "--body", file);
        Assert.Contains("SignatureDoesNotMatch", result.Stderr);
        var listing = await _aws.OkAsync("s3api", "list-objects-v2", "--bucket", "assets");
        Assert.DoesNotContain("\"x\"", listing);
    }
}
