using System.Globalization;
using Meridian.Storage.Checksums;
using Meridian.Storage.Errors;
using Meridian.Storage.Http;
using Meridian.Storage.Payload;
using Meridian.Storage.Store;

namespace Meridian.Storage.Operations;

/// <summary>PutObject, CopyObject, DeleteObject and DeleteObjects.</summary>
internal sealed class ObjectWriteOperations(StoreContext store)
{
    private const long MaxDeleteBody = 2 * 1024 * 1024;
    private const int MaxDeleteKeys = 1000;

    public async Task PutObjectAsync(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        var draft = ObjectHeaders.Draft(request, request.Key!);
        var token = request.Http.RequestAborted;
        var payload = await PayloadReceiver.ReceiveAsync(request, store.Files.NewTempPath(), null, token).ConfigureAwait(false);
        ObjectVersion committed;
        try
        {
            CheckWriteConditions(request, bucket);
            draft = draft with { Size = payload.Size, ETag = payload.Md5Hex, LastModified = store.Files.Now, Checksums = new(payload.Checksums) };
            committed = await store.Files.CommitObjectAsync(bucket, Replication.ReplicaStamp.From(request)?.Apply(draft) ?? draft,
                payload.TempPath, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            DurableFile.TryDelete(payload.TempPath); // gone already when committed
        }
        var headers = request.Http.Response.Headers;
        headers.ETag = S3Xml.Quote(committed.ETag);
        foreach (var (name, value) in committed.Checksums)
        {
            headers[ChecksumAlgorithms.HeaderName(ChecksumAlgorithms.Parse(name)!.Value)] = value;
        }
        ObjectHeaders.WriteVersionId(request.Http.Response, committed, bucket);
    }

    /// <summary>S3 conditional writes: If-None-Match: * (create only) and If-Match: etag (replace only that version).</summary>
    private static void CheckWriteConditions(S3Request request, Bucket bucket)
    {
        var latest = bucket.Latest(request.Key!);
        var exists = latest is { IsDeleteMarker: false };
        if (request.Header("If-None-Match") is { } none && none.Trim() == "*" && exists)
        {
            throw S3Errors.PreconditionFailed();
        }
        if (request.Header("If-Match") is { } match && (!exists || !Conditions.EtagMatches(match, latest!.ETag)))
        {
            throw exists ? S3Errors.PreconditionFailed() : S3Errors.NoSuchKey();
        }
    }

    public async Task CopyObjectAsync(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        var (sourceBucket, source) = ResolveCopySource(request);
        Conditions.CheckCopySource(request, source);
        var replace = string.Equals(request.Header("x-amz-metadata-directive"), "REPLACE", StringComparison.OrdinalIgnoreCase);
        if (!replace && sourceBucket == bucket && source.Key == request.Key && source.VersionId == bucket.Latest(source.Key)?.VersionId)
        {
            throw S3Errors.InvalidRequest(
                "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }
        var draft = replace ? ObjectHeaders.Draft(request, request.Key!) : source with { Key = request.Key!, ReplicationStatus = null };
        if (string.Equals(request.Header("x-amz-tagging-directive"), "REPLACE", StringComparison.OrdinalIgnoreCase))
        {
            draft = draft with { Tags = request.Header("x-amz-tagging") is { } t ? ObjectHeaders.ParseTagQuery(t) : new(StringComparer.Ordinal) };
        }
        else
        {
            draft = draft with { Tags = new(source.Tags, StringComparer.Ordinal) };
        }
        var temp = store.Files.NewTempPath();
        try
        {
            await using (var input = new FileStream(store.Files.DataPath(sourceBucket, source), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous))
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                await input.CopyToAsync(output, 1024 * 1024, request.Http.RequestAborted).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
            }
            var committed = await store.Files.CommitObjectAsync(bucket, draft with
            {
                Size = source.Size, ETag = source.ETag, PartCount = source.PartCount, Checksums = new(source.Checksums),
                LastModified = store.Files.Now, VersionId = VersionIds.Null, Sequence = 0, DataFile = null,
            }, temp, CancellationToken.None).ConfigureAwait(false);
            if (source.VersionId != VersionIds.Null)
            {
                request.Http.Response.Headers["x-amz-copy-source-version-id"] = source.VersionId;
            }
            ObjectHeaders.WriteVersionId(request.Http.Response, committed, bucket);
            await S3Xml.WriteAsync(request.Http, S3Xml.E("CopyObjectResult",
                S3Xml.E("LastModified", S3Xml.Date(committed.LastModified)),
                S3Xml.E("ETag", S3Xml.Quote(committed.ETag)))).ConfigureAwait(false);
        }
        finally
        {
            DurableFile.TryDelete(temp);
        }
    }

    private (Bucket Bucket, ObjectVersion Version) ResolveCopySource(S3Request request)
    {
        var text = request.Header("x-amz-copy-source")!;
        string? versionId = null;
        var q = text.IndexOf('?');
        if (q >= 0)
        {
            const string prefix = "versionId=";
            var query = text[(q + 1)..];
            versionId = query.StartsWith(prefix, StringComparison.Ordinal) ? UriEncoding.Decode(query[prefix.Length..]) : null;
            text = text[..q];
        }
        var path = UriEncoding.Decode(text).TrimStart('/');
        var slash = path.IndexOf('/');
        if (slash <= 0 || slash == path.Length - 1)
        {
            throw S3Errors.InvalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
        }
        var sourceBucket = store.Files.GetBucket(path[..slash]);
        var key = path[(slash + 1)..];
        var version = versionId is null ? sourceBucket.Latest(key) : sourceBucket.Find(key, versionId);
        if (version is null || (versionId is null && version.IsDeleteMarker))
        {
            throw versionId is null ? S3Errors.NoSuchKey() : S3Errors.NoSuchVersion();
        }
        if (version.IsDeleteMarker)
        {
            throw S3Errors.InvalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.");
        }
        return (sourceBucket, version);
    }

    public async Task DeleteObjectAsync(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        var versionId = request.QueryValue("versionId");
        var result = await store.Files.DeleteAsync(bucket, request.Key!, versionId, CancellationToken.None, Replication.ReplicaStamp.From(request)).ConfigureAwait(false);
        var headers = request.Http.Response.Headers;
        if (result is not null)
        {
            if (result.IsDeleteMarker)
            {
                headers["x-amz-delete-marker"] = "true";
            }
            if (versionId is not null || bucket.Settings.Versioning != VersioningStatus.Unversioned)
            {
                headers["x-amz-version-id"] = result.VersionId;
            }
        }
        request.Http.Response.StatusCode = 204;
    }

    public async Task DeleteObjectsAsync(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        if (request.Header("Content-MD5") is null && !Checksums.ChecksumAlgorithms.All.Any(a => request.Header(ChecksumAlgorithms.HeaderName(a)) is not null)
            && request.Header("x-amz-trailer") is null)
        {
            throw S3Errors.InvalidRequest("Missing required header for this request: Content-MD5 or x-amz-checksum-*");
        }
        var body = await PayloadReceiver.ReceiveSmallAsync(request, MaxDeleteBody, request.Http.RequestAborted).ConfigureAwait(false);
        var root = S3Xml.Parse(body, "Delete");
        var quiet = string.Equals(S3Xml.Child(root, "Quiet"), "true", StringComparison.OrdinalIgnoreCase);
        var objects = S3Xml.Children(root, "Object").ToList();
        if (objects.Count > MaxDeleteKeys)
        {
            throw S3Errors.MalformedXml();
        }
        var results = new List<System.Xml.Linq.XElement>();
        foreach (var entry in objects)
        {
            var key = S3Xml.Child(entry, "Key");
            var versionId = S3Xml.Child(entry, "VersionId");
            if (string.IsNullOrEmpty(key) || key.Contains('\0'))
            {
                throw S3Errors.MalformedXml();
            }
            try
            {
                var result = await store.Files.DeleteAsync(bucket, key, versionId, CancellationToken.None).ConfigureAwait(false);
                if (!quiet)
                {
                    results.Add(S3Xml.E("Deleted",
                        S3Xml.E("Key", key),
                        versionId is null ? null : S3Xml.E("VersionId", versionId),
                        result is { IsDeleteMarker: true } ? S3Xml.E("DeleteMarker", "true") : null,
                        result is { IsDeleteMarker: true } && versionId is null ? S3Xml.E("DeleteMarkerVersionId", result.VersionId) : null));
                }
            }
            catch (S3Exception error)
            {
                results.Add(S3Xml.E("Error", S3Xml.E("Key", key), versionId is null ? null : S3Xml.E("VersionId", versionId),
                    S3Xml.E("Code", error.Code), S3Xml.E("Message", error.Message)));
            }
        }
        await S3Xml.WriteAsync(request.Http, S3Xml.E("DeleteResult", results)).ConfigureAwait(false);
    }

    internal static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
