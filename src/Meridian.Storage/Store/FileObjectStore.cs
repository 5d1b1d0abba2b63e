using System.Collections.Concurrent;
using Meridian.Storage.Errors;
using Meridian.Storage.Events;
using Meridian.Topology.Validation;
using Microsoft.Extensions.Logging;

namespace Meridian.Storage.Store;

/// <summary>
/// The filesystem half of a store: buckets under data_dir/buckets, uploads streamed into data_dir/tmp first. Every
/// change is temp + fsync + rename + fsync dir, and then the in-memory index; readers only see committed versions.
/// </summary>
internal sealed class FileObjectStore
{
    private const int LockStripes = 256;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim[] _keyLocks = Enumerable.Range(0, LockStripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly Lock _bucketGate = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _sequence;

    public FileObjectStore(string name, string dataDirectory, TimeProvider time, ILogger logger, IObjectEventSink? sink = null)
    {
        Name = name;
        DataDirectory = Path.GetFullPath(dataDirectory);
        _time = time;
        _logger = logger;
        Sink = sink;
    }

    public string Name { get; }

    public string DataDirectory { get; }

    public string TempDirectory => Path.Combine(DataDirectory, "tmp");

    public string BucketsDirectory => Path.Combine(DataDirectory, "buckets");

    public IObjectEventSink? Sink { get; set; }

    /// <summary>Answers GETs of keys missing here from the bucket's replication source (beyond S3; null: off).</summary>
    public Replication.MissingReadProxy? MissingReads { get; set; }

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Creates the directories, sweeps leftovers of interrupted writes and loads every bucket's index.</summary>
    public void Open()
    {
        DurableFile.EnsureDirectory(TempDirectory);
        DurableFile.EnsureDirectory(BucketsDirectory);
        foreach (var file in Directory.EnumerateFiles(TempDirectory))
        {
            DurableFile.TryDelete(file); // never acknowledged
        }
        var loaded = StoreRecovery.LoadBuckets(BucketsDirectory, _logger);
        foreach (var bucket in loaded.Buckets)
        {
            _buckets[bucket.Name] = bucket;
        }
        _sequence = Math.Max(loaded.MaxSequence, _time.GetUtcNow().UtcTicks);
    }

    public IReadOnlyList<Bucket> Buckets => _buckets.Values.OrderBy(b => b.Name, StringComparer.Ordinal).ToArray();

    public Bucket? FindBucket(string name) => _buckets.TryGetValue(name, out var b) ? b : null;

    public Bucket GetBucket(string name) => FindBucket(name) ?? throw S3Errors.NoSuchBucket(name);

    public string NewTempPath() => Path.Combine(TempDirectory, Guid.NewGuid().ToString("N") + ".tmp");

    /// <summary>Strictly increasing, starting above the clock and above anything on disk.</summary>
    public long NextSequence()
    {
        while (true)
        {
            var last = Interlocked.Read(ref _sequence);
            var next = Math.Max(last + 1, _time.GetUtcNow().UtcTicks);
            if (Interlocked.CompareExchange(ref _sequence, next, last) == last)
            {
                return next;
            }
        }
    }

    public Bucket CreateBucket(string name, bool publicRead, bool versioning)
    {
        if (BucketNames.Check(name) is { } why)
        {
            throw S3Errors.InvalidBucketName(why);
        }
        lock (_bucketGate)
        {
            if (_buckets.ContainsKey(name))
            {
                throw S3Errors.BucketAlreadyOwnedByYou();
            }
            var directory = Path.Combine(BucketsDirectory, name);
            DurableFile.EnsureDirectory(directory);
            var settings = new BucketSettings
            {
                Name = name, Created = Now, PublicRead = publicRead,
                Versioning = versioning ? VersioningStatus.Enabled : VersioningStatus.Unversioned,
            };
            var bucket = new Bucket(directory, settings);
            // bucket.json is the commit point: a directory without it is swept at start.
            DurableFile.WriteAllBytes(bucket.SettingsFile, StoreJson.Serialize(settings), TempDirectory);
            _buckets[name] = bucket;
            return bucket;
        }
    }

    public void UpdateSettings(Bucket bucket, Func<BucketSettings, BucketSettings> change)
    {
        lock (_bucketGate)
        {
            var updated = change(bucket.Settings);
            DurableFile.WriteAllBytes(bucket.SettingsFile, StoreJson.Serialize(updated), TempDirectory);
            bucket.Settings = updated;
        }
    }

    public void DeleteBucket(Bucket bucket)
    {
        lock (_bucketGate)
        {
            if (!bucket.IsEmpty || (Directory.Exists(bucket.UploadsDirectory) && Directory.EnumerateDirectories(bucket.UploadsDirectory).Any()))
            {
                throw S3Errors.BucketNotEmpty();
            }
            // Settings file first: a crash half-way leaves a directory without it, which the start sweep removes.
            File.Delete(bucket.SettingsFile);
            DurableFile.SyncDirectory(bucket.Directory);
            _buckets.TryRemove(bucket.Name, out _);
            Directory.Delete(bucket.Directory, recursive: true);
            DurableFile.SyncDirectory(BucketsDirectory);
        }
    }

    public string DataPath(Bucket bucket, ObjectVersion version) =>
        Path.Combine(bucket.KeyDirectory(version.Key), version.DataFile ?? throw new InvalidOperationException("a delete marker has no data"));

    /// <summary>
    /// Makes <paramref name="tempData"/> (already fsynced) the new current version of its key, with a fresh version id
    /// when versioning is enabled, else as the null version replacing the previous null version.
    /// </summary>
    public async Task<ObjectVersion> CommitObjectAsync(Bucket bucket, ObjectVersion draft, string tempData, CancellationToken token)
    {
        var keyLock = KeyLock(bucket, draft.Key);
        await keyLock.WaitAsync(token).ConfigureAwait(false);
        ObjectVersion committed;
        try
        {
            var directory = bucket.KeyDirectory(draft.Key);
            DurableFile.EnsureDirectory(directory);
            var dataFile = Guid.NewGuid().ToString("N") + ".data";
            File.Move(tempData, Path.Combine(directory, dataFile));
            var sequence = NextSequence();
            committed = draft with
            {
                VersionId = bucket.Settings.Versioning != VersioningStatus.Enabled ? VersionIds.Null
                    : draft.ReplicationStatus == Replication.ReplicaStamp.Status && draft.VersionId != VersionIds.Null ? draft.VersionId : VersionIds.New(sequence),
                Sequence = sequence,
                DataFile = dataFile,
                IsDeleteMarker = false,
            };
            WriteVersion(bucket, committed, directory);
        }
        finally
        {
            keyLock.Release();
        }
        await NotifyAsync(ObjectEventKind.ObjectCreated, bucket, committed, token).ConfigureAwait(false);
        return committed;
    }

    /// <summary>S3 DELETE semantics. Returns the removed version or the new delete marker (null when nothing existed).</summary>
    public async Task<ObjectVersion?> DeleteAsync(Bucket bucket, string key, string? versionId, CancellationToken token, Replication.ReplicaStamp? replica = null)
    {
        var keyLock = KeyLock(bucket, key);
        await keyLock.WaitAsync(token).ConfigureAwait(false);
        ObjectVersion? result;
        ObjectEventKind kind;
        try
        {
            var directory = bucket.KeyDirectory(key);
            var status = bucket.Settings.Versioning;
            if (versionId is not null || status == VersioningStatus.Unversioned)
            {
                result = bucket.Find(key, versionId ?? VersionIds.Null);
                if (result is null)
                {
                    if (versionId is not null && !VersionIds.IsWellFormed(versionId))
                    {
                        throw S3Errors.InvalidArgument("Invalid version id specified");
                    }
                    return null; // S3: deleting what is not there succeeds
                }
                RemoveVersion(bucket, result, directory);
                kind = versionId is null ? ObjectEventKind.ObjectRemoved : ObjectEventKind.VersionDeleted;
            }
            else
            {
                DurableFile.EnsureDirectory(directory);
                var sequence = NextSequence();
                result = new ObjectVersion
                {
                    Key = key, Sequence = sequence, IsDeleteMarker = true, LastModified = Now,
                    VersionId = status == VersioningStatus.Enabled ? VersionIds.New(sequence) : VersionIds.Null,
                };
                result = replica is null ? result : replica.Apply(result) with { VersionId = status == VersioningStatus.Enabled ? replica.VersionId : VersionIds.Null };
                WriteVersion(bucket, result, directory);
                kind = ObjectEventKind.DeleteMarkerCreated;
            }
        }
        finally
        {
            keyLock.Release();
        }
        await NotifyAsync(kind, bucket, result, token).ConfigureAwait(false);
        return result;
    }

    /// <summary>Rewrites one version's metadata (tags, replication status); the data file is untouched.</summary>
    /// <remarks>
    /// <paramref name="synced"/> false skips the fsyncs (temp + rename only) for state another log already makes
    /// durable: replication status, whose journal syncs the file system before it forgets an item.
    /// </remarks>
    public async Task<ObjectVersion> UpdateVersionAsync(Bucket bucket, ObjectVersion version, Func<ObjectVersion, ObjectVersion> change,
        ObjectEventKind? notify, CancellationToken token, bool synced = true)
    {
        var keyLock = KeyLock(bucket, version.Key);
        await keyLock.WaitAsync(token).ConfigureAwait(false);
        ObjectVersion updated;
        try
        {
            var current = bucket.Find(version.Key, version.VersionId) ?? throw S3Errors.NoSuchVersion();
            updated = change(current) with { Key = current.Key, VersionId = current.VersionId, Sequence = current.Sequence, DataFile = current.DataFile };
            var path = Path.Combine(bucket.KeyDirectory(current.Key), VersionIds.MetadataFileName(current.VersionId));
            if (synced)
            {
                DurableFile.WriteAllBytes(path, StoreJson.Serialize(updated), TempDirectory);
            }
            else
            {
                Replication.UnsyncedFile.Replace(path, StoreJson.Serialize(updated), NewTempPath());
            }
            bucket.Upsert(updated);
        }
        finally
        {
            keyLock.Release();
        }
        if (notify is { } kind)
        {
            await NotifyAsync(kind, bucket, updated, token).ConfigureAwait(false);
        }
        return updated;
    }

    private void WriteVersion(Bucket bucket, ObjectVersion version, string directory)
    {
        var replaced = bucket.Find(version.Key, version.VersionId);
        // The rename of the metadata file is the commit point; SyncDirectory inside makes the data rename durable too.
        DurableFile.WriteAllBytes(Path.Combine(directory, VersionIds.MetadataFileName(version.VersionId)), StoreJson.Serialize(version), TempDirectory);
        bucket.Upsert(version);
        if (replaced?.DataFile is { } oldData && oldData != version.DataFile)
        {
            DurableFile.TryDelete(Path.Combine(directory, oldData));
        }
    }

    private static void RemoveVersion(Bucket bucket, ObjectVersion version, string directory)
    {
        File.Delete(Path.Combine(directory, VersionIds.MetadataFileName(version.VersionId)));
        DurableFile.SyncDirectory(directory);
        bucket.Remove(version.Key, version.VersionId);
        if (version.DataFile is { } data)
        {
            // An open GET keeps reading the unlinked file; new readers no longer find the version.
            DurableFile.TryDelete(Path.Combine(directory, data));
        }
    }

    private SemaphoreSlim KeyLock(Bucket bucket, string key) =>
        _keyLocks[(uint)HashCode.Combine(bucket.Name, key) % LockStripes];

    private async Task NotifyAsync(ObjectEventKind kind, Bucket bucket, ObjectVersion version, CancellationToken token)
    {
        if (Sink is not { } sink)
        {
            return;
        }
        var change = new ObjectEvent(kind, Name, bucket.Name, version.Key, version.VersionId, version.Sequence, version.Size, version.ETag, version.LastModified);
        await sink.OnCommittedAsync(change, token).ConfigureAwait(false);
    }
}
