using System.Globalization;
using System.Security.Cryptography;
using Meridian.Storage.Errors;

namespace Meridian.Storage.Store;

/// <summary>
/// Multipart uploads of one store on disk: buckets/NAME/uploads/ID/ with upload.json and one JSON + data file per
/// part, each written durably. Completing concatenates the parts into a temp file that is committed like a PUT, so
/// a crash mid-complete leaves the upload (not a half object).
/// </summary>
internal sealed class MultipartUploads(FileObjectStore files)
{
    /// <summary>S3: every part but the last is at least 5 MiB.</summary>
    public const long MinPartSize = 5L * 1024 * 1024;

    public const int MaxPartNumber = 10000;

    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public MultipartUpload Create(Bucket bucket, ObjectVersion draft, string? checksumAlgorithm)
    {
        var upload = new MultipartUpload
        {
            UploadId = Guid.NewGuid().ToString("N"), Key = draft.Key, Initiated = files.Now, Draft = draft, ChecksumAlgorithm = checksumAlgorithm,
        };
        var directory = Path.Combine(bucket.UploadsDirectory, upload.UploadId);
        DurableFile.EnsureDirectory(directory);
        DurableFile.WriteAllBytes(Path.Combine(directory, "upload.json"), StoreJson.Serialize(upload), files.TempDirectory);
        return upload;
    }

    /// <summary>The upload, or NoSuchUpload (also for ids this store could not have generated, and for another key's upload).</summary>
    public MultipartUpload Get(Bucket bucket, string uploadId, string key)
    {
        if (uploadId.Length != 32 || !uploadId.All(char.IsAsciiHexDigitLower))
        {
            throw S3Errors.NoSuchUpload();
        }
        var file = Path.Combine(bucket.UploadsDirectory, uploadId, "upload.json");
        var upload = File.Exists(file) ? StoreJson.Read<MultipartUpload>(file) : null;
        return upload is not null && upload.Key == key ? upload : throw S3Errors.NoSuchUpload();
    }

    public IReadOnlyList<MultipartUpload> List(Bucket bucket)
    {
        if (!Directory.Exists(bucket.UploadsDirectory))
        {
            return [];
        }
        return Directory.EnumerateDirectories(bucket.UploadsDirectory)
            .Select(d => Path.Combine(d, "upload.json"))
            .Where(File.Exists)
            .Select(StoreJson.Read<MultipartUpload>)
            .OfType<MultipartUpload>()
            .OrderBy(u => u.Key, StringComparer.Ordinal).ThenBy(u => u.Initiated)
            .ToArray();
    }

    public async Task<UploadedPart> AddPartAsync(Bucket bucket, MultipartUpload upload, UploadedPart part, string tempData)
    {
        var directory = Path.Combine(bucket.UploadsDirectory, upload.UploadId);
        var gate = Lock(upload.UploadId);
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!File.Exists(Path.Combine(directory, "upload.json")))
            {
                throw S3Errors.NoSuchUpload(); // aborted or completed while the part was streaming
            }
            var previous = ReadPart(directory, part.PartNumber);
            File.Move(tempData, Path.Combine(directory, part.DataFile));
            DurableFile.WriteAllBytes(Path.Combine(directory, PartFile(part.PartNumber)), StoreJson.Serialize(part), files.TempDirectory);
            if (previous is not null)
            {
                DurableFile.TryDelete(Path.Combine(directory, previous.DataFile));
            }
            return part;
        }
        finally
        {
            gate.Release();
        }
    }

    public IReadOnlyList<UploadedPart> Parts(Bucket bucket, MultipartUpload upload)
    {
        var directory = Path.Combine(bucket.UploadsDirectory, upload.UploadId);
        return Directory.EnumerateFiles(directory, "part-*.json")
            .Select(StoreJson.Read<UploadedPart>)
            .OfType<UploadedPart>()
            .OrderBy(p => p.PartNumber)
            .ToArray();
    }

    /// <summary>
    /// Validates the client's part list (InvalidPartOrder, InvalidPart, EntityTooSmall), concatenates the parts into
    /// a fsynced temp file and returns it with the multipart ETag (MD5 of the part MD5s, "-N").
    /// </summary>
    public async Task<(string TempPath, long Size, string ETag, int Count)> AssembleAsync(Bucket bucket, MultipartUpload upload,
        IReadOnlyList<(int PartNumber, string ETag)> requested, CancellationToken token)
    {
        if (requested.Count == 0)
        {
            throw S3Errors.MalformedXml();
        }
        for (var i = 1; i < requested.Count; i++)
        {
            if (requested[i].PartNumber <= requested[i - 1].PartNumber)
            {
                throw S3Errors.InvalidPartOrder();
            }
        }
        var directory = Path.Combine(bucket.UploadsDirectory, upload.UploadId);
        var stored = Parts(bucket, upload).ToDictionary(p => p.PartNumber);
        var chosen = new List<UploadedPart>(requested.Count);
        foreach (var (number, etag) in requested)
        {
            if (!stored.TryGetValue(number, out var part) || part.ETag != etag.Trim().Trim('"'))
            {
                throw S3Errors.InvalidPart();
            }
            chosen.Add(part);
        }
        for (var i = 0; i < chosen.Count - 1; i++)
        {
            if (chosen[i].Size < MinPartSize)
            {
                throw S3Errors.EntityTooSmall();
            }
        }
        var temp = files.NewTempPath();
        var partMd5s = new List<byte>(16 * chosen.Count);
        long size = 0;
        try
        {
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                foreach (var part in chosen)
                {
                    await using var input = new FileStream(Path.Combine(directory, part.DataFile), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
                    await input.CopyToAsync(output, 1024 * 1024, token).ConfigureAwait(false);
                    partMd5s.AddRange(Convert.FromHexString(part.ETag));
                    size += part.Size;
                }
                output.Flush(flushToDisk: true);
            }
        }
        catch
        {
            DurableFile.TryDelete(temp);
            throw;
        }
        var multipartEtag = Convert.ToHexStringLower(MD5.HashData(partMd5s.ToArray())) + "-" + chosen.Count.ToString(CultureInfo.InvariantCulture);
        return (temp, size, multipartEtag, chosen.Count);
    }

    /// <summary>Removes the upload: upload.json first (the commit point), then its parts.</summary>
    public void Remove(Bucket bucket, MultipartUpload upload)
    {
        var directory = Path.Combine(bucket.UploadsDirectory, upload.UploadId);
        File.Delete(Path.Combine(directory, "upload.json"));
        DurableFile.SyncDirectory(directory);
        Directory.Delete(directory, recursive: true);
    }

    private static UploadedPart? ReadPart(string directory, int number)
    {
        var file = Path.Combine(directory, PartFile(number));
        return File.Exists(file) ? StoreJson.Read<UploadedPart>(file) : null;
    }

    private static string PartFile(int number) => $"part-{number.ToString("D5", CultureInfo.InvariantCulture)}.json";

    private SemaphoreSlim Lock(string uploadId) => _locks[(uint)uploadId.GetHashCode(StringComparison.Ordinal) % (uint)_locks.Length];
}
