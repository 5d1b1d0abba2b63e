using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Meridian.SampleApp.Assets;
using Meridian.Topology.Model;

namespace Meridian.Cli.Demo;

/// <summary>
/// The tutorial's static assets live in the regions' buckets: the demo publishes the sample app's /static/ files
/// (same bytes, content types and Cache-Control as the app serves) into every bucket an edge origin points at, so
/// the edge serves /static/* from S3 with origin failover between the regional buckets. A key that is already
/// there (a previous run, or replication got it there first) is not written again, so restarts add no versions.
/// </summary>
internal static class DemoAssets
{
    public const string KeyPrefix = "static/";

    /// <summary>The buckets edge origins point at: (store, bucket) for origin URLs http://{store listen}/{bucket}.</summary>
    public static IEnumerable<(ObjectStoreConfig Store, string Bucket)> OriginBuckets(TopologyConfig topology) =>
        topology.Edge.Distributions.SelectMany(d => d.Origins)
            .Select(o => (Origin: o, Store: topology.Storage.Stores.FirstOrDefault(s => o.Url.Port == s.Listen.Port && o.Url.Host == s.Listen.Address.ToString())))
            .Where(x => x.Store is not null)
            .Select(x => (x.Store!, x.Origin.Url.AbsolutePath.Trim('/').Split('/')[0]))
            .Where(x => x.Item1.Buckets.Any(b => b.Name == x.Item2))
            .Distinct();

    /// <summary>The bucket a region's app depends on (its /health checks it): the first edge-origin bucket of the region's store.</summary>
    public static Uri? BucketOf(TopologyConfig topology, string region) =>
        OriginBuckets(topology).Where(b => b.Store.Region == region).Select(b => new Uri($"http://{b.Store.Listen}/{b.Bucket}/")).FirstOrDefault();

    public static async Task<int> SeedAsync(TopologyConfig topology, CancellationToken token)
    {
        if (topology.Storage.Credentials.FirstOrDefault() is not { } key)
        {
            return 0;
        }

        var written = 0;
        foreach (var (store, bucket) in OriginBuckets(topology))
        {
            using var client = new AmazonS3Client(new BasicAWSCredentials(key.AccessKey, key.SecretKey), new AmazonS3Config
            {
                ServiceURL = $"http://{store.Listen}",
                ForcePathStyle = true,
                AuthenticationRegion = store.Region,
                MaxErrorRetry = 2,
            });
            foreach (var (name, contentType, content) in StaticAssetCatalog.Files)
            {
                if (await ExistsAsync(client, bucket, KeyPrefix + name, token))
                {
                    continue;
                }

                using var body = new MemoryStream(content.ToArray(), writable: false);
                var put = new PutObjectRequest { BucketName = bucket, Key = KeyPrefix + name, InputStream = body, ContentType = contentType };
                put.Headers.CacheControl = StaticAssetCatalog.CacheControl;
                await client.PutObjectAsync(put, token);
                written++;
            }
        }

        return written;
    }

    private static async Task<bool> ExistsAsync(AmazonS3Client client, string bucket, string key, CancellationToken token)
    {
        try
        {
            await client.GetObjectMetadataAsync(bucket, key, token);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
