using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Meridian.Storage.Tests.Support;
using Meridian.Topology.Model;

namespace Meridian.Storage.Tests;

/// <summary>AWSSDK.S3 4.1 with its defaults (aws-chunked bodies, trailing CRC32, response checksum validation) against the store.</summary>
public sealed class SdkTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private AmazonS3Client _s3 = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.StartAsync([new BucketConfig { Name = "data" }, new BucketConfig { Name = "public-site", PublicRead = true }]);
        _s3 = SdkClients.For(_store);
    }

    public async Task DisposeAsync()
    {
        _s3.Dispose();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task PutObject_DefaultChecksums_StoredWithMd5EtagAndReadBack()
    {
        var body = "hello sdk " + new string('x', 100_000);
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "data", Key = "a/b.txt", ContentBody = body, ContentType = "text/plain" });
        Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)))}\"", put.ETag);
        using var get = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = "data", Key = "a/b.txt", ChecksumMode = ChecksumMode.ENABLED });
        Assert.Equal("text/plain", get.Headers.ContentType);
        Assert.Equal(body, await new StreamReader(get.ResponseStream).ReadToEndAsync());
    }

    [Fact]
    public async Task PutObject_SdkDefaults_SendAwsChunkedWithTrailingCrc32()
    {
        var recorder = new Support.RecordingHttpClientFactory();
        using var s3 = new AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials(TestStore.AccessKey, TestStore.SecretKey), new AmazonS3Config
        {
            ServiceURL = _store.Url, ForcePathStyle = true, AuthenticationRegion = TestStore.Region, MaxErrorRetry = 0, HttpClientFactory = recorder,
        });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "data", Key = "chunked", InputStream = new MemoryStream(new byte[200_000]) });
        var put = recorder.Requests.Single(r => r[":method"] == "PUT");
        Assert.StartsWith("STREAMING-", put["x-amz-content-sha256"]);
        Assert.EndsWith("-TRAILER", put["x-amz-content-sha256"]);
        Assert.Equal("x-amz-checksum-crc32", put["x-amz-trailer"]);
        Assert.Equal(200_000L, (await s3.GetObjectMetadataAsync("data", "chunked")).ContentLength);
    }

    [Theory]
    [InlineData("CRC32")]
    [InlineData("CRC32C")]
    [InlineData("CRC64NVME")]
    [InlineData("SHA1")]
    [InlineData("SHA256")]
    public async Task PutObject_EachChecksumAlgorithm_VerifiedAndReturned(string algorithm)
    {
        var data = RandomNumberGenerator.GetBytes(300_000);
        await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "data", Key = "sum-" + algorithm, InputStream = new MemoryStream(data), ChecksumAlgorithm = new ChecksumAlgorithm(algorithm),
        });
        using var get = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = "data", Key = "sum-" + algorithm, ChecksumMode = ChecksumMode.ENABLED });
        using var copy = new MemoryStream();
        await get.ResponseStream.CopyToAsync(copy); // the SDK validates the returned checksum while reading
        Assert.Equal(data, copy.ToArray());
        Assert.NotNull(get.ResponseMetadata);
    }

    [Fact]
    public async Task MultipartUpload_PartsListedCompletedWithDashNEtag()
    {
        var part1 = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);
        var part2 = RandomNumberGenerator.GetBytes(1000);
        var init = await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = "data", Key = "mp.bin", Metadata = { ["origin"] = "sdk" },
        });
        var p1 = await _s3.UploadPartAsync(new UploadPartRequest { BucketName = "data", Key = "mp.bin", UploadId = init.UploadId, PartNumber = 1, InputStream = new MemoryStream(part1) });
        var p2 = await _s3.UploadPartAsync(new UploadPartRequest { BucketName = "data", Key = "mp.bin", UploadId = init.UploadId, PartNumber = 2, InputStream = new MemoryStream(part2) });
        var parts = await _s3.ListPartsAsync(new ListPartsRequest { BucketName = "data", Key = "mp.bin", UploadId = init.UploadId });
        Assert.Equal([1, 2], parts.Parts.Select(p => p.PartNumber ?? 0));
        var complete = await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = "data", Key = "mp.bin", UploadId = init.UploadId,
            PartETags = [new PartETag(1, p1.ETag), new PartETag(2, p2.ETag)],
        });
        var expected = MD5.HashData(Convert.FromHexString(p1.ETag.Trim('"')).Concat(Convert.FromHexString(p2.ETag.Trim('"'))).ToArray());
        Assert.Equal($"\"{Convert.ToHexStringLower(expected)}-2\"", complete.ETag);
        var head = await _s3.GetObjectMetadataAsync("data", "mp.bin");
        Assert.Equal(part1.Length + part2.Length, head.ContentLength);
        Assert.Equal("sdk", head.Metadata["origin"]);
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.ListPartsAsync(new ListPartsRequest { BucketName = "data", Key = "mp.bin", UploadId = init.UploadId }));
        Assert.Equal("NoSuchUpload", error.ErrorCode);
    }

    [Fact]
    public async Task CompleteMultipartUpload_SmallFirstPartWrongEtagAndOrder_S3Errors()
    {
        var init = await _s3.InitiateMultipartUploadAsync("data", "bad-mp");
        var p1 = await _s3.UploadPartAsync(new UploadPartRequest { BucketName = "data", Key = "bad-mp", UploadId = init.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[10]) });
        var p2 = await _s3.UploadPartAsync(new UploadPartRequest { BucketName = "data", Key = "bad-mp", UploadId = init.UploadId, PartNumber = 2, InputStream = new MemoryStream(new byte[10]) });
        async Task<string> Complete(params PartETag[] parts) => (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.CompleteMultipartUploadAsync(
            new CompleteMultipartUploadRequest { BucketName = "data", Key = "bad-mp", UploadId = init.UploadId, PartETags = parts.ToList() }))).ErrorCode;
        Assert.Equal("EntityTooSmall", await Complete(new PartETag(1, p1.ETag), new PartETag(2, p2.ETag)));
        Assert.Equal("InvalidPart", await Complete(new PartETag(1, "\"00000000000000000000000000000000\"")));
        // (InvalidPartOrder is tested with raw requests: the SDK sorts the parts itself.)
        await _s3.AbortMultipartUploadAsync("data", "bad-mp", init.UploadId);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectMetadataAsync("data", "bad-mp"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var uploads = await _s3.ListMultipartUploadsAsync("data");
        Assert.Empty(uploads.MultipartUploads ?? []);
    }

    [Fact]
    public async Task ListObjectsV2_PagesAndDelimiter_MatchS3()
    {
        foreach (var key in new[] { "p/1", "p/2", "p/3", "p/sub/x", "p/sub/y", "q" })
        {
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "data", Key = key, ContentBody = key });
        }
        var keys = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "data", Prefix = "p/", MaxKeys = 2, ContinuationToken = token });
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
            pages++;
        }
        while (token is not null);
        Assert.Equal(["p/1", "p/2", "p/3", "p/sub/x", "p/sub/y"], keys);
        Assert.Equal(3, pages);
        var delimited = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "data", Prefix = "p/", Delimiter = "/" });
        Assert.Equal(["p/1", "p/2", "p/3"], (delimited.S3Objects ?? []).Select(o => o.Key));
        Assert.Equal(["p/sub/"], delimited.CommonPrefixes);
        var after = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "data", StartAfter = "p/sub/x" });
        Assert.Equal(["p/sub/y", "q"], (after.S3Objects ?? []).Select(o => o.Key));
    }

    [Fact]
    public async Task CopyTaggingDeleteObjects_Work()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "data", Key = "src", ContentBody = "copy me", Metadata = { ["k"] = "v" }, TagSet = [new Tag { Key = "t", Value = "1" }] });
        await _s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = "data", SourceKey = "src", DestinationBucket = "data", DestinationKey = "dst" });
        var meta = await _s3.GetObjectMetadataAsync("data", "dst");
        Assert.Equal("v", meta.Metadata["k"]);
        var tags = await _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = "data", Key = "dst" });
        Assert.Equal("1", Assert.Single(tags.Tagging).Value);
        await _s3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = "data", Key = "dst", Tagging = new Tagging { TagSet = [new Tag { Key = "a", Value = "b" }, new Tag { Key = "c", Value = "d" }] } });
        Assert.Equal(2, (await _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = "data", Key = "dst" })).Tagging.Count);
        var deleted = await _s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = "data", Objects = [new KeyVersion { Key = "src" }, new KeyVersion { Key = "dst" }] });
        Assert.Equal(2, deleted.DeletedObjects.Count);
        Assert.Empty((await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "data" })).S3Objects ?? []);
    }

    [Fact]
    public async Task GetObject_RangeAndConditions_PartialAnd304And412()
    {
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "data", Key = "r", ContentBody = "0123456789" });
        using (var part = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = "data", Key = "r", ByteRange = new ByteRange(2, 5) }))
        {
            Assert.Equal("2345", await new StreamReader(part.ResponseStream).ReadToEndAsync());
            Assert.Equal(HttpStatusCode.PartialContent, part.HttpStatusCode);
        }
        var notModified = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(new GetObjectRequest { BucketName = "data", Key = "r", EtagToNotMatch = put.ETag }));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        var failed = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(new GetObjectRequest { BucketName = "data", Key = "r", EtagToMatch = "\"nope\"" }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, failed.StatusCode);
        var range = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync(new GetObjectRequest { BucketName = "data", Key = "r", ByteRange = new ByteRange(50, 60) }));
        Assert.Equal("InvalidRange", range.ErrorCode);
    }

    [Fact]
    public async Task Errors_MissingThingsAndBadKeys_S3Codes()
    {
        Assert.Equal("NoSuchKey", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync("data", "nope"))).ErrorCode);
        Assert.Equal("NoSuchBucket", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectAsync("nobucket", "k"))).ErrorCode);
        Assert.Equal("BucketAlreadyOwnedByYou", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutBucketAsync("data"))).ErrorCode);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "data", Key = "keep", ContentBody = "x" });
        Assert.Equal("BucketNotEmpty", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.DeleteBucketAsync("data"))).ErrorCode);
        using var stranger = SdkClients.For(_store, "AKIDUNKNOWN", "whatever-secret");
        Assert.Equal("InvalidAccessKeyId", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => stranger.ListBucketsAsync())).ErrorCode);
        var buckets = await _s3.ListBucketsAsync();
        Assert.Contains(buckets.Buckets, b => b.BucketName == "data");
    }

    [Fact]
    public async Task PathTraversalKeys_StayInsideTheDataDirectory()
    {
        var keys = new[] { "../../escape.txt", "a/../../../etc/passwd", "..", "./.", "%2e%2e/x", "a//b", "back\\slash\\..\\..\\x" };
        foreach (var key in keys)
        {
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "data", Key = key, ContentBody = "k:" + key });
        }
        foreach (var key in keys)
        {
            using var get = await _s3.GetObjectAsync("data", key);
            Assert.Equal("k:" + key, await new StreamReader(get.ResponseStream).ReadToEndAsync());
        }
        var listed = (await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "data" })).S3Objects.Select(o => o.Key).ToHashSet();
        Assert.True(keys.All(listed.Contains), string.Join(",", listed));
        var outside = Directory.GetFiles(Path.GetDirectoryName(_store.DataDirectory)!, "escape.txt*");
        Assert.Empty(outside);
        Assert.All(Directory.GetFiles(_store.DataDirectory, "*", SearchOption.AllDirectories),
            f => Assert.StartsWith(Path.Combine(_store.DataDirectory, "buckets"), f));
    }

    [Fact]
    public async Task PresignedUrl_ValidWorksTamperedAndAnonymousRefused()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "data", Key = "signed.txt", ContentBody = "secret stuff" });
        var url = await _s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = "data", Key = "signed.txt", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP,
        });
        using var http = new HttpClient();
        Assert.Equal("secret stuff", await http.GetStringAsync(url));
        var tampered = await http.GetAsync(url.Replace("signed.txt", "signed.tx2", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", await tampered.Content.ReadAsStringAsync());
        var anonymous = await http.GetAsync($"{_store.Url}/data/signed.txt");
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Contains("<Code>AccessDenied</Code>", await anonymous.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PublicReadBucket_AnonymousGetAllowedButNotPut()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "public-site", Key = "index.html", ContentBody = "<h1>public</h1>" });
        using var http = new HttpClient();
        Assert.Equal("<h1>public</h1>", await http.GetStringAsync($"{_store.Url}/public-site/index.html"));
        var put = await http.PutAsync($"{_store.Url}/public-site/evil.html", new StringContent("x"));
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.GetObjectMetadataAsync("public-site", "evil.html"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ListVersions_PagedByKeyAndVersionMarkers_EveryVersionOnceNewestFirst()
    {
        await _s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = "data", VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        var expected = new List<(string Key, string VersionId)>();
        foreach (var key in new[] { "a", "b", "c" })
        {
            var ids = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                ids.Add((await _s3.PutObjectAsync(new PutObjectRequest { BucketName = "data", Key = key, ContentBody = $"{key}{i}" })).VersionId);
            }
            ids.Reverse();
            expected.AddRange(ids.Select(id => (key, id)));
        }
        var seen = new List<(string, string)>();
        string? keyMarker = null, versionMarker = null;
        for (var page = 0; page < 20; page++)
        {
            var result = await _s3.ListVersionsAsync(new ListVersionsRequest { BucketName = "data", MaxKeys = 2, KeyMarker = keyMarker, VersionIdMarker = versionMarker });
            seen.AddRange((result.Versions ?? []).Select(v => (v.Key, v.VersionId)));
            if (result.IsTruncated != true)
            {
                break;
            }
            (keyMarker, versionMarker) = (result.NextKeyMarker, result.NextVersionIdMarker);
        }
        Assert.Equal(expected, seen);
    }
}
