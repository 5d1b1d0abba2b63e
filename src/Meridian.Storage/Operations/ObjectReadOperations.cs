using System.Globalization;
using Meridian.Storage.Checksums;
using Meridian.Storage.Errors;
using Meridian.Storage.Http;
using Meridian.Storage.Store;

namespace Meridian.Storage.Operations;

/// <summary>GetObject and HeadObject: versions, delete markers, preconditions, ranges, response-* overrides.</summary>
internal sealed class ObjectReadOperations(StoreContext store)
{
    private static readonly (string Query, string Header)[] Overrides =
    [
        ("response-content-type", "Content-Type"), ("response-content-language", "Content-Language"),
        ("response-expires", "Expires"), ("response-cache-control", "Cache-Control"),
        ("response-content-disposition", "Content-Disposition"), ("response-content-encoding", "Content-Encoding"),
    ];

    public async Task GetObjectAsync(S3Request request, bool head)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        ObjectVersion version;
        try
        {
            version = Resolve(request, bucket);
        }
        catch (S3Exception missing) when (missing.Code == "NoSuchKey" && !missing.Headers.ContainsKey("x-amz-delete-marker") && store.Files.MissingReads is { } proxy)
        {
            if (await proxy.TryServeAsync(request, head).ConfigureAwait(false))
            {
                return; // not replicated here yet: answered from the source region
            }
            throw;
        }
        Conditions.CheckRead(request, version);
        var response = request.Http.Response;
        ObjectHeaders.Write(response, version, bucket);
        foreach (var (query, header) in Overrides)
        {
            if (request.QueryValue(query) is { } value)
            {
                response.Headers[header] = value;
            }
        }
        var range = ByteRange.Parse(request.Header("Range"), version.Size);
        if (range is null && string.Equals(request.Header("x-amz-checksum-mode"), "ENABLED", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (name, value) in version.Checksums)
            {
                response.Headers[ChecksumAlgorithms.HeaderName(ChecksumAlgorithms.Parse(name)!.Value)] = value;
                response.Headers["x-amz-checksum-type"] = "FULL_OBJECT";
            }
        }
        var (start, length) = range is { } r ? (r.Start, r.Length) : (0L, version.Size);
        if (range is not null)
        {
            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {start}-{start + length - 1}/{version.Size}";
        }
        response.ContentLength = length;
        if (head)
        {
            return;
        }
        FileStream file;
        try
        {
            file = new FileStream(store.Files.DataPath(bucket, version), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous);
        }
        catch (FileNotFoundException)
        {
            throw S3Errors.NoSuchKey(); // deleted between lookup and open
        }
        await using (file.ConfigureAwait(false))
        {
            file.Seek(start, SeekOrigin.Begin);
            // Read straight into the response's buffers: no per-GET buffer of our own (a 256 KiB array per GET went to
            // the large-object heap and cost 27% of the CPU of a 1 MiB GET, bench/storage/run.sh) and one copy less.
            var writer = response.BodyWriter;
            var token = request.Http.RequestAborted;
            // Headers first: bytes written before the response starts wait in a Kestrel buffer of their own and are
            // copied again behind the headers at the first flush.
            await response.StartAsync(token).ConfigureAwait(false);
            var remaining = length;
            while (remaining > 0)
            {
                var memory = writer.GetMemory((int)Math.Min(64 * 1024, remaining));
                var n = await file.ReadAsync(memory[..(int)Math.Min(memory.Length, remaining)], token).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new IOException($"object data of {request.Resource} is shorter than its metadata says");
                }

                writer.Advance(n);
                remaining -= n;
                var flushed = await writer.FlushAsync(token).ConfigureAwait(false);
                if (flushed.IsCanceled || flushed.IsCompleted)
                {
                    return; // the client went away
                }
            }
        }
    }

    /// <summary>The version a GET/HEAD addresses, with S3's errors for missing keys, versions and delete markers.</summary>
    private static ObjectVersion Resolve(S3Request request, Bucket bucket)
    {
        var key = request.Key!;
        var versionId = request.QueryValue("versionId");
        if (versionId is null)
        {
            var latest = bucket.Latest(key) ?? throw S3Errors.NoSuchKey();
            if (latest.IsDeleteMarker)
            {
                var error = S3Errors.NoSuchKey().With("x-amz-delete-marker", "true");
                return bucket.Settings.Versioning == VersioningStatus.Unversioned ? throw error : throw error.With("x-amz-version-id", latest.VersionId);
            }
            return latest;
        }
        var version = bucket.Find(key, versionId);
        if (version is null)
        {
            throw VersionIds.IsWellFormed(versionId) ? S3Errors.NoSuchVersion() : S3Errors.InvalidArgument("Invalid version id specified");
        }
        if (version.IsDeleteMarker)
        {
            throw S3Errors.MethodNotAllowed().With("x-amz-delete-marker", "true").With("x-amz-version-id", versionId)
                .With("Last-Modified", version.LastModified.ToString("R", CultureInfo.InvariantCulture));
        }
        return version;
    }
}
