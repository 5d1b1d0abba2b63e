using System.Globalization;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Meridian.Storage.Http;
using Meridian.Topology.Model;

namespace Meridian.Storage.Replication;

/// <summary>
/// Beyond S3 (MinIO does the like): a plain GET or HEAD of a key this bucket does not have (never written here, not
/// deleted here) is answered from the bucket that replicates into it, when its rule says proxy_missing_reads. So a
/// region switch does not show assets written in the other region moments before and not yet replicated. The
/// answer carries <c>x-meridian-proxied-from</c>; ranges, conditionals and version ids are never proxied.
/// </summary>
public sealed class MissingReadProxy : IDisposable
{
    public const string Header = "x-meridian-proxied-from";

    /// <summary>Sent on proxied reads: the source answers from its own data only (two-way rules would bounce a miss forever).</summary>
    public const string NoProxyHeader = "x-meridian-no-proxy";

    private readonly Dictionary<string, (AmazonS3Client Client, string Bucket, string Region)> _sources;

    private MissingReadProxy(Dictionary<string, (AmazonS3Client, string, string)> sources) => _sources = sources;

    /// <summary>The proxy of store <paramref name="storeName"/>: one source per local bucket that a proxying rule targets.</summary>
    public static MissingReadProxy? For(string storeName, StorageConfig storage, Func<string, Uri?>? storeEndpoints, TimeSpan timeout)
    {
        var sources = new Dictionary<string, (AmazonS3Client, string, string)>(StringComparer.Ordinal);
        foreach (var store in storage.Stores.Where(s => s.Name != storeName))
        {
            foreach (var bucket in store.Buckets)
            {
                foreach (var rule in bucket.Replication.Where(r => r.Enabled && r.ProxyMissingReads && r.DestinationStore == storeName))
                {
                    var endpoint = storeEndpoints?.Invoke(store.Name) ?? new Uri($"http://{store.Listen}");
                    var credentials = storage.Credentials[0];
                    var client = new AmazonS3Client(new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey), new AmazonS3Config
                    {
                        ServiceURL = endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = store.Region, MaxErrorRetry = 0, Timeout = timeout,
                        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
                    });
                    client.BeforeRequestEvent += (_, e) =>
                    {
                        if (e is WebServiceRequestEventArgs web)
                        {
                            web.Headers[NoProxyHeader] = "1";
                        }
                    };
                    if (!sources.TryAdd(rule.DestinationBucket, (client, bucket.Name, store.Region)))
                    {
                        client.Dispose();
                    }
                }
            }
        }
        return sources.Count == 0 ? null : new MissingReadProxy(sources);
    }

    internal async Task<bool> TryServeAsync(S3Request request, bool head)
    {
        if (!_sources.TryGetValue(request.Bucket!, out var source) || request.Header(NoProxyHeader) is not null || request.QueryValue("versionId") is not null ||
            request.Header("Range") is not null || request.Header("If-Match") is not null || request.Header("If-None-Match") is not null ||
            request.Header("If-Modified-Since") is not null || request.Header("If-Unmodified-Since") is not null)
        {
            return false;
        }
        var token = request.Http.RequestAborted;
        try
        {
            if (head)
            {
                var meta = await source.Client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = source.Bucket, Key = request.Key! }, token).ConfigureAwait(false);
                WriteHeaders(request, meta.Headers, meta.Metadata, meta.ETag, meta.LastModified, source.Region);
                request.Http.Response.ContentLength = meta.ContentLength;
                return true;
            }
            using var get = await source.Client.GetObjectAsync(new GetObjectRequest { BucketName = source.Bucket, Key = request.Key! }, token).ConfigureAwait(false);
            WriteHeaders(request, get.Headers, get.Metadata, get.ETag, get.LastModified, source.Region);
            request.Http.Response.ContentLength = get.ContentLength;
            await get.ResponseStream.CopyToAsync(request.Http.Response.Body, token).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden || (int)e.StatusCode >= 500)
        {
            return false; // not there either (or the source is unwell): the local NoSuchKey stands
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !request.Http.Response.HasStarted)
        {
            return false; // source region unreachable
        }
    }

    private static void WriteHeaders(S3Request request, HeadersCollection headers, MetadataCollection metadata, string? etag, DateTime? lastModified, string region)
    {
        var response = request.Http.Response.Headers;
        response.ContentType = headers.ContentType ?? "binary/octet-stream";
        if (headers.ContentEncoding is { } encoding)
        {
            response.ContentEncoding = encoding;
        }
        if (headers.CacheControl is { } cacheControl)
        {
            response.CacheControl = cacheControl;
        }
        if (headers.ContentDisposition is { } disposition)
        {
            response.ContentDisposition = disposition;
        }
        if (etag is not null)
        {
            response.ETag = etag;
        }
        if (lastModified is { } modified)
        {
            response.LastModified = modified.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture);
        }
        foreach (var name in metadata.Keys)
        {
            response[name.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase) ? name : "x-amz-meta-" + name] = metadata[name];
        }
        response[Header] = region;
    }

    public void Dispose()
    {
        foreach (var (client, _, _) in _sources.Values)
        {
            client.Dispose();
        }
    }
}
