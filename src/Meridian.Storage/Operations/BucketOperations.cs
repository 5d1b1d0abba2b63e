using Meridian.Storage.Errors;
using Meridian.Storage.Http;
using Meridian.Storage.Payload;
using Meridian.Storage.Store;

namespace Meridian.Storage.Operations;

/// <summary>ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation and bucket versioning.</summary>
internal sealed class BucketOperations(StoreContext store)
{
    private const long MaxXmlBody = 1024 * 1024;

    public Task ListBucketsAsync(S3Request request)
    {
        var buckets = store.Files.Buckets.Select(b => S3Xml.E("Bucket",
            S3Xml.E("Name", b.Name),
            S3Xml.E("CreationDate", S3Xml.Date(b.Settings.Created)),
            S3Xml.E("BucketRegion", store.Region)));
        return S3Xml.WriteAsync(request.Http, S3Xml.E("ListAllMyBucketsResult",
            Owner(request),
            S3Xml.E("Buckets", buckets)));
    }

    public async Task CreateBucketAsync(S3Request request)
    {
        var body = await PayloadReceiver.ReceiveSmallAsync(request, MaxXmlBody, request.Http.RequestAborted).ConfigureAwait(false);
        if (body.Length > 0)
        {
            var location = S3Xml.Child(S3Xml.Parse(body, "CreateBucketConfiguration"), "LocationConstraint");
            if (!string.IsNullOrEmpty(location) && location != store.Region)
            {
                throw new S3Exception("IllegalLocationConstraintException", 400,
                    $"The {location} location constraint is incompatible for the region specific endpoint this request was sent to ({store.Region}).");
            }
        }
        store.Files.CreateBucket(request.Bucket!, publicRead: false, versioning: false);
        request.Http.Response.Headers.Location = "/" + request.Bucket;
    }

    public void HeadBucket(S3Request request)
    {
        store.Files.GetBucket(request.Bucket!);
        request.Http.Response.Headers["x-amz-bucket-region"] = store.Region;
    }

    public void DeleteBucket(S3Request request)
    {
        store.Files.DeleteBucket(store.Files.GetBucket(request.Bucket!));
        request.Http.Response.StatusCode = 204;
    }

    public Task GetLocationAsync(S3Request request)
    {
        store.Files.GetBucket(request.Bucket!);
        // S3 reports us-east-1 as an empty constraint.
        return S3Xml.WriteAsync(request.Http, S3Xml.E("LocationConstraint", store.Region == "us-east-1" ? null : store.Region));
    }

    public Task GetVersioningAsync(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        var status = bucket.Settings.Versioning switch
        {
            VersioningStatus.Enabled => S3Xml.E("Status", "Enabled"),
            VersioningStatus.Suspended => S3Xml.E("Status", "Suspended"),
            _ => null,
        };
        return S3Xml.WriteAsync(request.Http, S3Xml.E("VersioningConfiguration", status));
    }

    public async Task PutVersioningAsync(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        var body = await PayloadReceiver.ReceiveSmallAsync(request, MaxXmlBody, request.Http.RequestAborted).ConfigureAwait(false);
        var root = S3Xml.Parse(body, "VersioningConfiguration");
        var status = S3Xml.Child(root, "Status") switch
        {
            "Enabled" => VersioningStatus.Enabled,
            "Suspended" => VersioningStatus.Suspended,
            _ => throw S3Errors.MalformedXml(),
        };
        if (S3Xml.Child(root, "MfaDelete") == "Enabled")
        {
            throw S3Errors.InvalidArgument("MFA delete is not supported by this store");
        }
        if (status == VersioningStatus.Suspended && bucket.Settings.ReplicationXml is not null)
        {
            throw S3Errors.InvalidBucketState("Replication configuration is present on the bucket. Cannot suspend versioning.");
        }
        if (status == VersioningStatus.Suspended && bucket.Settings.Versioning == VersioningStatus.Unversioned)
        {
            return; // S3 accepts it and the bucket stays unversioned in effect; keep "never enabled"
        }
        store.Files.UpdateSettings(bucket, s => s with { Versioning = status });
    }

    public static System.Xml.Linq.XElement Owner(S3Request request) =>
        S3Xml.E("Owner", S3Xml.E("ID", request.Auth.AccessKey ?? "anonymous"), S3Xml.E("DisplayName", request.Auth.AccessKey ?? "anonymous"));
}
