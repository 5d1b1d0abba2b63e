using System.Globalization;
using Meridian.Storage.Checksums;
using Meridian.Storage.Errors;
using Meridian.Storage.Http;
using Meridian.Storage.Payload;
using Meridian.Storage.Store;

namespace Meridian.Storage.Operations;

/// <summary>CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts, ListMultipartUploads.</summary>
internal sealed class MultipartOperations(StoreContext store, MultipartUploads uploads)
{
    private const long MaxXmlBody = 4 * 1024 * 1024;

    public Task CreateAsync(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        var algorithm = request.Header("x-amz-checksum-algorithm");
        if (algorithm is not null && ChecksumAlgorithms.Parse(algorithm) is null)
        {
            throw S3Errors.InvalidRequest($"Checksum algorithm {algorithm} is not supported");
        }
        var upload = uploads.Create(bucket, ObjectHeaders.Draft(request, request.Key!), algorithm?.ToUpperInvariant());
        if (upload.ChecksumAlgorithm is { } a)
        {
            request.Http.Response.Headers["x-amz-checksum-algorithm"] = a;
        }
        return S3Xml.WriteAsync(request.Http, S3Xml.E("InitiateMultipartUploadResult",
            S3Xml.E("Bucket", bucket.Name), S3Xml.E("Key", request.Key), S3Xml.E("UploadId", upload.UploadId)));
    }

    public async Task UploadPartAsync(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        var upload = uploads.Get(bucket, request.QueryValue("uploadId")!, request.Key!);
        if (!int.TryParse(request.QueryValue("partNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number is < 1 or > MultipartUploads.MaxPartNumber)
        {
            throw S3Errors.InvalidArgument($"Part number must be an integer between 1 and {MultipartUploads.MaxPartNumber}, inclusive");
        }
        var algorithm = upload.ChecksumAlgorithm is { } name ? ChecksumAlgorithms.Parse(name) : null;
        var payload = await PayloadReceiver.ReceiveAsync(request, store.Files.NewTempPath(), algorithm, request.Http.RequestAborted).ConfigureAwait(false);
        try
        {
            var part = await uploads.AddPartAsync(bucket, upload, new UploadedPart
            {
                PartNumber = number, ETag = payload.Md5Hex, Size = payload.Size, DataFile = Guid.NewGuid().ToString("N") + ".data",
                LastModified = store.Files.Now, Checksums = new(payload.Checksums),
            }, payload.TempPath).ConfigureAwait(false);
            request.Http.Response.Headers.ETag = S3Xml.Quote(part.ETag);
            foreach (var (alg, value) in part.Checksums)
            {
                request.Http.Response.Headers[ChecksumAlgorithms.HeaderName(ChecksumAlgorithms.Parse(alg)!.Value)] = value;
            }
        }
        finally
        {
            DurableFile.TryDelete(payload.TempPath);
        }
    }

    public async Task CompleteAsync(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        var upload = uploads.Get(bucket, request.QueryValue("uploadId")!, request.Key!);
        var body = await PayloadReceiver.ReceiveSmallAsync(request, MaxXmlBody, request.Http.RequestAborted).ConfigureAwait(false);
        var root = S3Xml.Parse(body, "CompleteMultipartUpload");
        var parts = new List<(int, string)>();
        foreach (var part in S3Xml.Children(root, "Part"))
        {
            if (!int.TryParse(S3Xml.Child(part, "PartNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                || S3Xml.Child(part, "ETag") is not { } etag)
            {
                throw S3Errors.MalformedXml();
            }
            parts.Add((number, etag));
        }
        var (temp, size, multipartEtag, count) = await uploads.AssembleAsync(bucket, upload, parts, request.Http.RequestAborted).ConfigureAwait(false);
        ObjectVersion committed;
        try
        {
            committed = await store.Files.CommitObjectAsync(bucket, upload.Draft with
            {
                Size = size, ETag = multipartEtag, PartCount = count, LastModified = store.Files.Now,
            }, temp, CancellationToken.None).ConfigureAwait(false);
            uploads.Remove(bucket, upload);
        }
        finally
        {
            DurableFile.TryDelete(temp);
        }
        ObjectHeaders.WriteVersionId(request.Http.Response, committed, bucket);
        await S3Xml.WriteAsync(request.Http, S3Xml.E("CompleteMultipartUploadResult",
            S3Xml.E("Location", $"http://{request.Http.Request.Host}/{bucket.Name}/{UriEncoding.Encode(committed.Key, keepSlash: true)}"),
            S3Xml.E("Bucket", bucket.Name),
            S3Xml.E("Key", committed.Key),
            S3Xml.E("ETag", S3Xml.Quote(committed.ETag)))).ConfigureAwait(false);
    }

    public void Abort(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        uploads.Remove(bucket, uploads.Get(bucket, request.QueryValue("uploadId")!, request.Key!));
        request.Http.Response.StatusCode = 204;
    }

    public Task ListPartsAsync(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        var upload = uploads.Get(bucket, request.QueryValue("uploadId")!, request.Key!);
        var marker = int.TryParse(request.QueryValue("part-number-marker"), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0;
        var max = int.TryParse(request.QueryValue("max-parts"), NumberStyles.None, CultureInfo.InvariantCulture, out var mp) ? Math.Min(mp, 1000) : 1000;
        var all = uploads.Parts(bucket, upload).Where(p => p.PartNumber > marker).ToList();
        var page = all.Take(max).ToList();
        var truncated = all.Count > page.Count;
        return S3Xml.WriteAsync(request.Http, S3Xml.E("ListPartsResult",
            S3Xml.E("Bucket", bucket.Name),
            S3Xml.E("Key", upload.Key),
            S3Xml.E("UploadId", upload.UploadId),
            S3Xml.E("PartNumberMarker", marker.ToString(CultureInfo.InvariantCulture)),
            truncated ? S3Xml.E("NextPartNumberMarker", page[^1].PartNumber.ToString(CultureInfo.InvariantCulture)) : null,
            S3Xml.E("MaxParts", max.ToString(CultureInfo.InvariantCulture)),
            S3Xml.E("IsTruncated", truncated ? "true" : "false"),
            upload.ChecksumAlgorithm is { } a ? S3Xml.E("ChecksumAlgorithm", a) : null,
            S3Xml.E("StorageClass", "STANDARD"),
            page.Select(p => S3Xml.E("Part",
                S3Xml.E("PartNumber", p.PartNumber.ToString(CultureInfo.InvariantCulture)),
                S3Xml.E("LastModified", S3Xml.Date(p.LastModified)),
                S3Xml.E("ETag", S3Xml.Quote(p.ETag)),
                S3Xml.E("Size", p.Size.ToString(CultureInfo.InvariantCulture)),
                p.Checksums.Select(c => S3Xml.E("Checksum" + c.Key, c.Value))))));
    }

    public Task ListUploadsAsync(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        var prefix = request.QueryValue("prefix") ?? "";
        var all = uploads.List(bucket).Where(u => u.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var max = int.TryParse(request.QueryValue("max-uploads"), NumberStyles.None, CultureInfo.InvariantCulture, out var mu) ? Math.Min(mu, 1000) : 1000;
        var keyMarker = request.QueryValue("key-marker") ?? "";
        var page = all.Where(u => string.CompareOrdinal(u.Key, keyMarker) > 0 || keyMarker.Length == 0).Take(max).ToList();
        return S3Xml.WriteAsync(request.Http, S3Xml.E("ListMultipartUploadsResult",
            S3Xml.E("Bucket", bucket.Name),
            S3Xml.E("KeyMarker", keyMarker),
            S3Xml.E("UploadIdMarker", ""),
            S3Xml.E("Prefix", prefix),
            S3Xml.E("MaxUploads", max.ToString(CultureInfo.InvariantCulture)),
            S3Xml.E("IsTruncated", page.Count < all.Count(u => string.CompareOrdinal(u.Key, keyMarker) > 0 || keyMarker.Length == 0) ? "true" : "false"),
            page.Select(u => S3Xml.E("Upload",
                S3Xml.E("Key", u.Key),
                S3Xml.E("UploadId", u.UploadId),
                S3Xml.E("Initiated", S3Xml.Date(u.Initiated)),
                S3Xml.E("StorageClass", "STANDARD")))));
    }
}
