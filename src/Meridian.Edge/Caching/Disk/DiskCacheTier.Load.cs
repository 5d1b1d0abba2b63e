namespace Meridian.Edge.Caching;

/// <summary>Start-up: the folder's files indexed (or, for a folder taken up again by a reload, discarded).</summary>
internal sealed partial class DiskCacheTier
{
    /// <summary>
    /// Indexes the files already in the folder (a restart), least recently written first; deletes torn, corrupt and
    /// left-over temporary files. Files removed or invalidated while the scan ran are not indexed (and are deleted).
    /// </summary>
    private void Load(bool discardExisting)
    {
        try
        {
            LoadIndex(discardExisting);
        }
        catch (Exception)
        {
            // An unreadable folder leaves the index empty (misses), never a faulted task.
            Interlocked.Increment(ref _failures);
        }
    }

    private void LoadIndex(bool discardExisting)
    {
        long startEpoch;
        lock (_lock)
        {
            startEpoch = _epoch;
        }

        var found = new List<(DiskCacheRecord Record, DateTime Written)>();
        try
        {
            foreach (var shard in Directory.EnumerateDirectories(Folder))
            {
                if (!IsHex(Path.GetFileName(shard), 2))
                {
                    continue;
                }

                foreach (var file in Directory.EnumerateFiles(shard))
                {
                    if (_stopping.IsCancellationRequested)
                    {
                        return;
                    }

                    if (discardExisting)
                    {
                        DiscardOne(file);
                    }
                    else
                    {
                        LoadOne(file, found);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _failures);
        }

        found.Sort((a, b) => a.Written.CompareTo(b.Written));
        lock (_lock)
        {
            for (var i = 0; i < found.Count; i++)
            {
                var record = found[i].Record;
                if (InvalidatedSinceLocked(startEpoch, record.Key, record.Path))
                {
                    if (!_index.ContainsKey(record.Key))
                    {
                        TryDelete(record.File);
                    }

                    continue;
                }

                // Below every use since start-up (those are ≥ 1), oldest lowest; a write during the scan already won.
                record.Use(i - found.Count);
                if (_index.TryAdd(record.Key, record))
                {
                    Volatile.Write(ref _bytes, _bytes + record.Size);
                }
            }
        }

        EvictIfNeeded();
    }

    private void LoadOne(string file, List<(DiskCacheRecord, DateTime)> found)
    {
        var name = Path.GetFileName(file);
        if (IsTempName(name))
        {
            if (!IsOurs(name))
            {
                TryDelete(file); // a write cut short by a crash or a kill
            }

            return;
        }

        if (!IsHex(name, 64))
        {
            return;
        }

        try
        {
            var header = DiskCacheFile.ReadHeader(file);
            if (!string.Equals(FileNameFor(header.Key), name, StringComparison.Ordinal))
            {
                throw new InvalidDataException("named for another key");
            }

            found.Add((new DiskCacheRecord(header.Key, header.Path, file, header.FileLength, 0), File.GetLastWriteTimeUtc(file)));
        }
        catch (InvalidDataException)
        {
            Interlocked.Increment(ref _corrupt);
            TryDelete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _failures);
        }
    }

    private void DiscardOne(string file)
    {
        var name = Path.GetFileName(file);
        if (IsHex(name, 64) || (IsTempName(name) && !IsOurs(name)))
        {
            TryDelete(file);
        }
    }

    /// <summary>A temporary file of a write: the entry's name, a writer's tag, ".tmp".</summary>
    private static bool IsTempName(string name) =>
        name.Length > 64 && IsHex(name[..64], 64) && name.EndsWith(".tmp", StringComparison.Ordinal);

    /// <summary>A temporary file of this tier's own writer (in progress, never swept).</summary>
    private bool IsOurs(string name) => name.Contains(_tempTag, StringComparison.Ordinal);

    private static bool IsHex(string s, int length)
    {
        if (s.Length != length)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
