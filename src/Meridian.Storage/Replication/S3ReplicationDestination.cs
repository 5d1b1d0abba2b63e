using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Meridian.Topology.Model;

namespace Meridian.Storage.Replication;

/// <summary>
/// A destination bucket reached through the S3 API with AWSSDK.S3 (path-style), so any S3-compatible endpoint
/// works. For a store of this topology (<c>meridianStore</c>) writes also carry <see cref="ReplicaStamp"/> headers:
/// the replica keeps the source's version id and Last-Modified and is marked REPLICA, as S3's own replicas are.
/// </summary>
internal sealed class S3ReplicationDestination : IReplicationDestination
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly bool _meridianStore;
    private readonly ConditionalWeakTable<AmazonWebServiceRequest, ReplicaStamp> _stamps = [];

    public S3ReplicationDestination(Uri endpoint, string region, StorageCredentialConfig credentials, string bucket, bool meridianStore, TimeSpan timeout)
    {
        _bucket = bucket;
        _meridianStore = meridianStore;
        var config = new AmazonS3Config
        {
            ServiceURL = endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = region,
            MaxErrorRetry = 0, // the worker retries with its own backoff and keeps the item durable meanwhile
            // Integrity comes from the source's own digests (Content-MD5, x-amz-checksum-*), sent as headers: no
            // aws-chunked framing, no second checksum pass over the body.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            Timeout = timeout,
        };
        _client = new AmazonS3Client(new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey), config);
        _client.BeforeRequestEvent += AddStampHeaders;
    }

    private void AddStampHeaders(object sender, RequestEventArgs e)
    {
        if (e is WebServiceRequestEventArgs web && web.Request is { } request && _stamps.TryGetValue(request, out var stamp))
        {
            web.Headers[ReplicaStamp.VersionIdHeader] = stamp.VersionId;
            web.Headers[ReplicaStamp.LastModifiedHeader] = ReplicaStamp.Format(stamp.LastModified);
        }
    }

    public async Task PutAsync(ReplicaObject replica, Stream body, CancellationToken token)
    {
        var v = replica.Version;
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = v.Key,
            InputStream = body,
            AutoCloseStream = false,
            ContentType = v.ContentType,
            TagSet = v.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList(),
            UseChunkEncoding = false,
        };
        if (v.ETag.Length == 32 && v.PartCount == 0)
        {
            request.MD5Digest = Convert.ToBase64String(Convert.FromHexString(v.ETag)); // single-part ETag = MD5
        }
        foreach (var (name, value) in v.Checksums)
        {
            SetChecksum(request, name, value);
        }
        request.Headers.ContentEncoding = v.ContentEncoding;
        request.Headers.ContentDisposition = v.ContentDisposition;
        request.Headers.CacheControl = v.CacheControl;
        if (v.ContentLanguage is { } language)
        {
            request.Headers.ContentLanguage = language;
        }
        if (v.Expires is { } expires && DateTime.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var when))
        {
            request.Headers.Expires = when;
        }
        foreach (var (name, value) in v.UserMetadata)
        {
            request.Metadata[name] = value;
        }
        Stamp(request, v.VersionId, v.LastModified);
        await _client.PutObjectAsync(request, token).ConfigureAwait(false);
    }

    public async Task PutDeleteMarkerAsync(string key, string sourceVersionId, DateTimeOffset lastModified, CancellationToken token)
    {
        var request = new DeleteObjectRequest { BucketName = _bucket, Key = key };
        Stamp(request, sourceVersionId, lastModified);
        await _client.DeleteObjectAsync(request, token).ConfigureAwait(false);
    }

    public async Task SyncTagsAsync(string key, string sourceVersionId, IReadOnlyDictionary<string, string> tags, CancellationToken token)
    {
        // A topology store kept the source's version id; elsewhere the replica is the current version of the key.
        var versionId = _meridianStore ? sourceVersionId : null;
        GetObjectTaggingResponse current;
        try
        {
            current = await _client.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = _bucket, Key = key, VersionId = versionId }, token).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is "NoSuchKey" or "NoSuchVersion")
        {
            return; // the version never reached (or left) the destination: nothing to sync
        }
        var have = (current.Tagging ?? []).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        if (have.Count == tags.Count && tags.All(t => have.TryGetValue(t.Key, out var value) && value == t.Value))
        {
            return;
        }
        await _client.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = _bucket, Key = key, VersionId = versionId,
            Tagging = new Tagging { TagSet = tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList() },
        }, token).ConfigureAwait(false);
    }

    /// <summary>The replica keeps the checksums the source verified; the destination verifies them again.</summary>
    private static void SetChecksum(PutObjectRequest request, string name, string value)
    {
        switch (Checksums.ChecksumAlgorithms.Parse(name))
        {
            case Checksums.ChecksumAlgorithm.Crc32: request.ChecksumCRC32 = value; break;
            case Checksums.ChecksumAlgorithm.Crc32C: request.ChecksumCRC32C = value; break;
            case Checksums.ChecksumAlgorithm.Crc64Nvme: request.ChecksumCRC64NVME = value; break;
            case Checksums.ChecksumAlgorithm.Sha1: request.ChecksumSHA1 = value; break;
            case Checksums.ChecksumAlgorithm.Sha256: request.ChecksumSHA256 = value; break;
        }
    }

    private void Stamp(AmazonWebServiceRequest request, string versionId, DateTimeOffset lastModified)
    {
        if (_meridianStore && versionId != Store.VersionIds.Null)
        {
            _stamps.AddOrUpdate(request, new ReplicaStamp(versionId, lastModified));
        }
    }

    public void Dispose() => _client.Dispose();
}
