using System.Xml.Linq;
using Meridian.Storage.Errors;
using Meridian.Storage.Http;
using Meridian.Storage.Payload;
using Meridian.Storage.Store;

namespace Meridian.Storage.Operations;

/// <summary>
/// Put/Get/DeleteBucketReplication: S3's ReplicationConfiguration XML, validated as S3 does (versioning must be
/// enabled, every rule needs a status and a destination bucket ARN, ids and priorities unique), stored verbatim.
/// </summary>
internal sealed class ReplicationConfigOperations(StoreContext store)
{
    private const long MaxXmlBody = 2 * 1024 * 1024;
    private const int MaxRules = 1000;

    public async Task PutAsync(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        var body = await PayloadReceiver.ReceiveSmallAsync(request, MaxXmlBody, request.Http.RequestAborted).ConfigureAwait(false);
        var root = S3Xml.Parse(body, "ReplicationConfiguration");
        if (bucket.Settings.Versioning != VersioningStatus.Enabled)
        {
            throw S3Errors.InvalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
        }
        Validate(root);
        var xml = root.ToString(SaveOptions.DisableFormatting);
        store.Files.UpdateSettings(bucket, s => s with { ReplicationXml = xml });
    }

    public Task GetAsync(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        var xml = bucket.Settings.ReplicationXml ?? throw S3Errors.ReplicationNotFound();
        return S3Xml.WriteAsync(request.Http, XElement.Parse(xml));
    }

    public void Delete(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        store.Files.UpdateSettings(bucket, s => s with { ReplicationXml = null });
        request.Http.Response.StatusCode = 204;
    }

    internal static void Validate(XElement root)
    {
        var rules = S3Xml.Children(root, "Rule").ToList();
        if (rules.Count is 0 or > MaxRules)
        {
            throw S3Errors.MalformedXml();
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var priorities = new HashSet<int>();
        foreach (var rule in rules)
        {
            if (S3Xml.Child(rule, "Status") is not ("Enabled" or "Disabled"))
            {
                throw S3Errors.MalformedXml();
            }
            var id = S3Xml.Child(rule, "ID");
            if (id is { Length: > 255 } || (id is not null && !ids.Add(id)))
            {
                throw S3Errors.InvalidArgument("Rule Id must be unique and at most 255 characters");
            }
            if (S3Xml.Child(rule, "Priority") is { } priorityText)
            {
                if (!int.TryParse(priorityText, out var priority) || priority < 0 || !priorities.Add(priority))
                {
                    throw S3Errors.InvalidArgument("Found duplicate priority or an invalid priority in the rules");
                }
            }
            var destination = S3Xml.Children(rule, "Destination").FirstOrDefault() ?? throw S3Errors.MalformedXml();
            var arn = S3Xml.Child(destination, "Bucket");
            if (arn is null || !arn.StartsWith("arn:aws:s3:::", StringComparison.Ordinal) || arn.Length == "arn:aws:s3:::".Length)
            {
                throw S3Errors.InvalidArgument("Invalid bucket ARN in the destination: expected arn:aws:s3:::bucket-name");
            }
            // The V2 schema (with Filter) requires DeleteMarkerReplication, as S3 does.
            if (S3Xml.Children(rule, "Filter").Any() && !S3Xml.Children(rule, "DeleteMarkerReplication").Any())
            {
                throw S3Errors.InvalidRequest("DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.");
            }
        }
    }
}
