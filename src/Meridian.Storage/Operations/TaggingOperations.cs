using Meridian.Storage.Errors;
using Meridian.Storage.Events;
using Meridian.Storage.Http;
using Meridian.Storage.Payload;
using Meridian.Storage.Store;

namespace Meridian.Storage.Operations;

/// <summary>Put/Get/DeleteObjectTagging (of the latest or a given version).</summary>
internal sealed class TaggingOperations(StoreContext store)
{
    private const long MaxXmlBody = 64 * 1024;

    public Task GetAsync(S3Request request)
    {
        var (bucket, version) = Resolve(request);
        ObjectHeaders.WriteVersionId(request.Http.Response, version, bucket);
        return S3Xml.WriteAsync(request.Http, S3Xml.E("Tagging", S3Xml.E("TagSet",
            version.Tags.Select(t => S3Xml.E("Tag", S3Xml.E("Key", t.Key), S3Xml.E("Value", t.Value))))));
    }

    public async Task PutAsync(S3Request request)
    {
        var (bucket, version) = Resolve(request);
        var body = await PayloadReceiver.ReceiveSmallAsync(request, MaxXmlBody, request.Http.RequestAborted).ConfigureAwait(false);
        var root = S3Xml.Parse(body, "Tagging");
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in S3Xml.Children(root, "TagSet").SelectMany(s => S3Xml.Children(s, "Tag")))
        {
            var key = S3Xml.Child(tag, "Key") ?? throw S3Errors.MalformedXml();
            if (!tags.TryAdd(key, S3Xml.Child(tag, "Value") ?? ""))
            {
                throw S3Errors.InvalidTag("Cannot provide multiple Tags with the same key");
            }
        }
        ObjectHeaders.ValidateTags(tags);
        var updated = await store.Files.UpdateVersionAsync(bucket, version, v => v with { Tags = tags }, ObjectEventKind.TagsChanged, CancellationToken.None)
            .ConfigureAwait(false);
        ObjectHeaders.WriteVersionId(request.Http.Response, updated, bucket);
    }

    public async Task DeleteAsync(S3Request request)
    {
        var (bucket, version) = Resolve(request);
        await store.Files.UpdateVersionAsync(bucket, version, v => v with { Tags = new(StringComparer.Ordinal) }, ObjectEventKind.TagsChanged,
            CancellationToken.None).ConfigureAwait(false);
        ObjectHeaders.WriteVersionId(request.Http.Response, version, bucket);
        request.Http.Response.StatusCode = 204;
    }

    private (Bucket, ObjectVersion) Resolve(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        var versionId = request.QueryValue("versionId");
        var version = versionId is null ? bucket.Latest(request.Key!) : bucket.Find(request.Key!, versionId);
        if (version is null || (versionId is null && version.IsDeleteMarker))
        {
            throw versionId is null ? S3Errors.NoSuchKey() : S3Errors.NoSuchVersion();
        }
        if (version.IsDeleteMarker)
        {
            throw S3Errors.MethodNotAllowed();
        }
        return (bucket, version);
    }
}
