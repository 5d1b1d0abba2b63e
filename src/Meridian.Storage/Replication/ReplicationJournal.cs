using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json;
using Meridian.Storage.Store;

namespace Meridian.Storage.Replication;

/// <summary>
/// The durable work queue: an append-only file of records [length u32][crc32 u32][JSON], "add" records fsynced
/// before <see cref="AppendAsync"/> returns, "done" records only written (a lost one replays an idempotent copy).
/// Opening reads records up to the first torn or corrupt one (a crash mid-append) and cuts the file there. When most
/// records are done the file is rewritten with the live items (temp + fsync + rename + fsync dir).
/// </summary>
internal sealed class ReplicationJournal : IDisposable
{
    private const int HeaderBytes = 8;
    private const int MaxRecordBytes = 1 << 20;
    private const int CompactAfterDone = 4096;

    private readonly string _directory;
    private readonly Dictionary<long, ReplicationWorkItem> _live = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<(IReadOnlyList<ReplicationWorkItem> Items, TaskCompletionSource<IReadOnlyList<ReplicationWorkItem>> Done)> _waiting = [];
    private FileStream? _file;
    private long _nextId = 1;
    private int _doneSinceCompaction;

    public ReplicationJournal(string directory) => _directory = directory;

    public string FilePath => Path.Combine(_directory, "journal.log");

    /// <summary>Items added and not done, oldest first (what a restart owes).</summary>
    public IReadOnlyList<ReplicationWorkItem> Open()
    {
        DurableFile.EnsureDirectory(_directory);
        var bytes = File.Exists(FilePath) ? File.ReadAllBytes(FilePath) : [];
        var good = 0;
        while (TryRead(bytes, good, out var record, out var length))
        {
            if (record.Add is { } item)
            {
                _live[item.Id] = item;
                _nextId = Math.Max(_nextId, item.Id + 1);
            }
            else if (record.Done is { } id)
            {
                _live.Remove(id);
            }
            good += length;
        }
        _file = new FileStream(FilePath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
        if (good < bytes.Length)
        {
            _file.SetLength(good); // the torn tail of an append that never returned
            _file.Flush(flushToDisk: true);
        }
        _file.Position = good;
        DurableFile.SyncDirectory(_directory);
        return _live.Values.OrderBy(i => i.Id).ToArray();
    }

    public int LiveCount
    {
        get
        {
            _gate.Wait();
            try
            {
                return _live.Count;
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>
    /// Assigns ids and makes the items durable; returns them with their ids. Group commit: whoever holds the file
    /// writes every caller's items queued meanwhile and fsyncs once for all of them.
    /// </summary>
    public async Task<IReadOnlyList<ReplicationWorkItem>> AppendAsync(IReadOnlyList<ReplicationWorkItem> items, CancellationToken token)
    {
        var done = new TaskCompletionSource<IReadOnlyList<ReplicationWorkItem>>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiting)
        {
            _waiting.Add((items, done));
        }
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false); // queued work is written even if one caller gives up
        try
        {
            if (!done.Task.IsCompleted)
            {
                WriteWaiting();
            }
        }
        finally
        {
            _gate.Release();
        }
        return await done.Task.WaitAsync(token).ConfigureAwait(false);
    }

    private void WriteWaiting()
    {
        List<(IReadOnlyList<ReplicationWorkItem> Items, TaskCompletionSource<IReadOnlyList<ReplicationWorkItem>> Done)> batch;
        lock (_waiting)
        {
            batch = [.. _waiting];
            _waiting.Clear();
        }
        try
        {
            var file = _file ?? throw new ObjectDisposedException(nameof(ReplicationJournal));
            using var buffer = new MemoryStream();
            var results = new ReplicationWorkItem[batch.Count][];
            for (var b = 0; b < batch.Count; b++)
            {
                results[b] = batch[b].Items.Select(item => item with { Id = _nextId++ }).ToArray();
                foreach (var item in results[b])
                {
                    WriteRecord(buffer, new JournalRecord { Add = item });
                }
            }
            var end = file.Position;
            try
            {
                file.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
                file.Flush(flushToDisk: true);
            }
            catch
            {
                file.SetLength(end); // no half record ahead of the next append (disk full, I/O error)
                file.Position = end;
                throw;
            }
            for (var b = 0; b < batch.Count; b++)
            {
                foreach (var item in results[b])
                {
                    _live[item.Id] = item;
                }
                batch[b].Done.TrySetResult(results[b]);
            }
        }
        catch (Exception error)
        {
            foreach (var entry in batch)
            {
                entry.Done.TrySetException(error);
            }
        }
    }

    public Task MarkDoneAsync(long id) => MarkDoneAsync([id]);

    public async Task MarkDoneAsync(IReadOnlyList<long> ids)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_file is not { } file)
            {
                return;
            }
            using var buffer = new MemoryStream();
            foreach (var id in ids)
            {
                if (_live.Remove(id))
                {
                    WriteRecord(buffer, new JournalRecord { Done = id });
                    _doneSinceCompaction++;
                }
            }
            file.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            file.Flush(flushToDisk: false);
            if (_doneSinceCompaction >= CompactAfterDone && _live.Count < _doneSinceCompaction)
            {
                Compact();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Compact()
    {
        var temp = Path.Combine(_directory, "journal.compact.tmp");
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var item in _live.Values.OrderBy(i => i.Id))
            {
                WriteRecord(stream, new JournalRecord { Add = item });
            }
            stream.Flush(flushToDisk: true);
        }
        _file!.Dispose();
        DurableFile.Commit(temp, FilePath);
        _file = new FileStream(FilePath, FileMode.Open, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
        _file.Position = _file.Length;
        _doneSinceCompaction = 0;
    }

    private static void WriteRecord(Stream stream, JournalRecord record)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(record, ReplicationJson.Options);
        Span<byte> header = stackalloc byte[HeaderBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.HashToUInt32(payload));
        stream.Write(header);
        stream.Write(payload);
    }

    private static bool TryRead(byte[] bytes, int offset, out JournalRecord record, out int length)
    {
        record = null!;
        length = 0;
        if (bytes.Length - offset < HeaderBytes)
        {
            return false;
        }
        var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 4));
        if (size is 0 or > MaxRecordBytes || size > bytes.Length - offset - HeaderBytes)
        {
            return false;
        }
        var payload = bytes.AsSpan(offset + HeaderBytes, (int)size);
        if (Crc32.HashToUInt32(payload) != crc)
        {
            return false;
        }
        try
        {
            record = JsonSerializer.Deserialize<JournalRecord>(payload, ReplicationJson.Options)!;
        }
        catch (JsonException)
        {
            return false;
        }
        if (record is null || (record.Add is null) == (record.Done is null))
        {
            return false;
        }
        length = HeaderBytes + (int)size;
        return true;
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            _file?.Dispose();
            _file = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record JournalRecord
    {
        public ReplicationWorkItem? Add { get; init; }
        public long? Done { get; init; }
    }
}
