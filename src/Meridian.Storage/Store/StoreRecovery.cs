using Meridian.Topology.Validation;
using Microsoft.Extensions.Logging;

namespace Meridian.Storage.Store;

/// <summary>
/// Rebuilds the index from disk at start and removes what an interrupted write left behind: bucket directories
/// without bucket.json, data files no metadata file points at, metadata whose data file never became durable.
/// </summary>
internal static class StoreRecovery
{
    public sealed record Loaded(IReadOnlyList<Bucket> Buckets, long MaxSequence);

    public static Loaded LoadBuckets(string bucketsDirectory, ILogger logger)
    {
        var buckets = new List<Bucket>();
        long maxSequence = 0;
        foreach (var directory in Directory.EnumerateDirectories(bucketsDirectory))
        {
            var name = Path.GetFileName(directory);
            var settingsFile = Path.Combine(directory, "bucket.json");
            var settings = File.Exists(settingsFile) ? StoreJson.Read<BucketSettings>(settingsFile) : null;
            if (settings is null || settings.Name != name || !BucketNames.IsValid(name))
            {
                logger.LogWarning("Removing {Directory}: not a committed bucket (interrupted create or delete)", directory);
                Directory.Delete(directory, recursive: true);
                continue;
            }
            var bucket = new Bucket(directory, settings);
            SweepUploads(bucket);
            maxSequence = Math.Max(maxSequence, LoadKeys(bucket, logger));
            buckets.Add(bucket);
        }
        return new(buckets, maxSequence);
    }

    /// <summary>An upload directory without upload.json is an aborted or completed upload that a crash interrupted.</summary>
    private static void SweepUploads(Bucket bucket)
    {
        if (!Directory.Exists(bucket.UploadsDirectory))
        {
            return;
        }
        foreach (var upload in Directory.EnumerateDirectories(bucket.UploadsDirectory))
        {
            if (!File.Exists(Path.Combine(upload, "upload.json")))
            {
                Directory.Delete(upload, recursive: true);
            }
        }
    }

    private static long LoadKeys(Bucket bucket, ILogger logger)
    {
        long maxSequence = 0;
        if (!Directory.Exists(bucket.KeysDirectory))
        {
            return 0;
        }
        foreach (var keyDirectory in Directory.EnumerateDirectories(bucket.KeysDirectory).SelectMany(Directory.EnumerateDirectories))
        {
            var referenced = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(keyDirectory, "*.json"))
            {
                var version = StoreJson.Read<ObjectVersion>(file);
                if (version is null || !VersionIds.IsWellFormed(version.VersionId) || Path.GetFileName(file) != VersionIds.MetadataFileName(version.VersionId)
                    || bucket.KeyDirectory(version.Key) != keyDirectory)
                {
                    logger.LogWarning("Ignoring unreadable object metadata {File}", file);
                    continue;
                }
                if (version.DataFile is { } data && (data.Contains('/') || !File.Exists(Path.Combine(keyDirectory, data))))
                {
                    // The data rename did not reach the disk before a crash, so this version was never acknowledged.
                    logger.LogWarning("Dropping {File}: its data file is missing", file);
                    File.Delete(file);
                    continue;
                }
                if (version.DataFile is { } kept)
                {
                    referenced.Add(kept);
                }
                bucket.Upsert(version);
                maxSequence = Math.Max(maxSequence, version.Sequence);
            }
            foreach (var data in Directory.EnumerateFiles(keyDirectory, "*.data"))
            {
                if (!referenced.Contains(Path.GetFileName(data)))
                {
                    File.Delete(data); // an overwrite or delete that crashed before its cleanup
                }
            }
        }
        return maxSequence;
    }
}
