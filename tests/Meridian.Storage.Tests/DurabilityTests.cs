using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Meridian.Storage.Tests.Support;
using Meridian.Topology.Model;

namespace Meridian.Storage.Tests;

/// <summary>What survives a restart, and what a crash mid-write leaves behind (nothing visible).</summary>
public sealed class DurabilityTests
{
    private static readonly BucketConfig[] Buckets = [new BucketConfig { Name = "durable", Versioning = true }];

    [Fact]
    public async Task Restart_VersionsMarkersMetadataAndTags_Intact()
    {
        var directory = Path.Combine(Path.GetTempPath(), "meridian-durable-" + Guid.NewGuid().ToString("N"));
        string v1;
        var first = await TestStore.StartAsync(Buckets, directory);
        using (var s3 = SdkClients.For(first))
        {
            v1 = (await s3.PutObjectAsync(new PutObjectRequest { BucketName = "durable", Key = "doc", ContentBody = "v1", Metadata = { ["m"] = "1" }, TagSet = [new Tag { Key = "t", Value = "x" }] })).VersionId;
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "durable", Key = "doc", ContentBody = "v2" });
            await s3.DeleteObjectAsync("durable", "doc");
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "durable", Key = "other", ContentBody = "o" });
        }
        await first.StopAsync();

        await using var second = await TestStore.StartAsync(Buckets, directory);
        using var again = SdkClients.For(second);
        var versions = await again.ListVersionsAsync("durable");
        Assert.Equal(4, versions.Versions.Count);
        Assert.True(versions.Versions.Single(v => v.Key == "doc" && v.IsLatest == true).IsDeleteMarker);
        using var old = await again.GetObjectAsync(new GetObjectRequest { BucketName = "durable", Key = "doc", VersionId = v1 });
        Assert.Equal("v1", await new StreamReader(old.ResponseStream).ReadToEndAsync());
        Assert.Equal("1", old.Metadata["m"]);
        Assert.Equal(1, old.TagCount);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => again.GetObjectAsync("durable", "doc"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        // New versions still sort after the old ones (the sequence resumes above what is on disk).
        await again.PutObjectAsync(new PutObjectRequest { BucketName = "durable", Key = "doc", ContentBody = "v3" });
        using var latest = await again.GetObjectAsync("durable", "doc");
        Assert.Equal("v3", await new StreamReader(latest.ResponseStream).ReadToEndAsync());
    }

    [Fact]
    public async Task Start_AfterCrashLeftovers_NothingPartialVisibleAndSwept()
    {
        var directory = Path.Combine(Path.GetTempPath(), "meridian-crash-" + Guid.NewGuid().ToString("N"));
        var first = await TestStore.StartAsync(Buckets, directory);
        using (var s3 = SdkClients.For(first))
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "durable", Key = "kept", ContentBody = "kept" });
            await s3.InitiateMultipartUploadAsync("durable", "upload-kept");
        }
        await first.StopAsync();

        // What a kill -9 can leave: a half-written temp file, data renamed without its metadata, metadata whose data
        // rename never reached the disk, a bucket whose bucket.json was never committed, an upload without upload.json.
        File.WriteAllText(Path.Combine(directory, "tmp", "half.tmp"), "partial");
        var keyDir = Directory.GetDirectories(Path.Combine(directory, "buckets", "durable", "keys"), "*", SearchOption.AllDirectories).Single(d => Directory.GetFiles(d).Length > 0);
        File.WriteAllText(Path.Combine(keyDir, "0123456789abcdef0123456789abcdef.data"), "orphan");
        var ghostMeta = Directory.GetFiles(keyDir, "*.json").Single();
        File.WriteAllText(Path.Combine(keyDir, "v-00000000000000000000000000000001.json"),
            File.ReadAllText(ghostMeta).Replace("\"VersionId\": \"", "\"VersionId\": \"00000000000000000000000000000001\", \"Ignored\": \"", StringComparison.Ordinal)
                .Replace(".data\"", "-missing.data\"", StringComparison.Ordinal));
        Directory.CreateDirectory(Path.Combine(directory, "buckets", "half-created"));
        Directory.CreateDirectory(Path.Combine(directory, "buckets", "durable", "uploads", "ffffffffffffffffffffffffffffffff"));

        await using var second = await TestStore.StartAsync(Buckets, directory);
        using var again = SdkClients.For(second);
        Assert.False(File.Exists(Path.Combine(keyDir, "v-00000000000000000000000000000001.json")));
        Assert.Empty(Directory.GetFiles(Path.Combine(directory, "tmp")));
        Assert.False(Directory.Exists(Path.Combine(directory, "buckets", "half-created")));
        Assert.False(File.Exists(Path.Combine(keyDir, "0123456789abcdef0123456789abcdef.data")));
        Assert.DoesNotContain((await again.ListBucketsAsync()).Buckets, b => b.BucketName == "half-created");
        var versions = await again.ListVersionsAsync("durable");
        Assert.Equal(["kept"], versions.Versions.Select(v => v.Key));
        using var kept = await again.GetObjectAsync("durable", "kept");
        Assert.Equal("kept", await new StreamReader(kept.ResponseStream).ReadToEndAsync());
        var uploads = await again.ListMultipartUploadsAsync("durable");
        Assert.Equal(["upload-kept"], (uploads.MultipartUploads ?? []).Select(u => u.Key));
    }

    [Fact]
    public async Task PresignedUrl_AfterExpiry_AccessDeniedRequestHasExpired()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = await TestStore.StartAsync(Buckets, time: clock);
        using var s3 = SdkClients.For(store);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "durable", Key = "p", ContentBody = "presigned" });
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = "durable", Key = "p", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP,
        });
        using var http = new HttpClient();
        Assert.Equal("presigned", await http.GetStringAsync(url));
        clock.Advance(TimeSpan.FromMinutes(6));
        var expired = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        var body = await expired.Content.ReadAsStringAsync();
        Assert.Contains("<Code>AccessDenied</Code>", body);
        Assert.Contains("Request has expired", body);
        var tooLong = await http.GetAsync(System.Text.RegularExpressions.Regex.Replace(url, "X-Amz-Expires=\\d+", "X-Amz-Expires=604801"));
        Assert.Contains("<Code>AuthorizationQueryParametersError</Code>", await tooLong.Content.ReadAsStringAsync());
    }
}
