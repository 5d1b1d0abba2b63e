using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.IO.Hashing;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Meridian.Edge.Caching;

/// <summary>
/// One cached response on disk: a 32-byte prologue (magic, header length, body length, XxHash3 of header and body),
/// the header (key, path, status, <see cref="CacheEntryMetadata"/>, response headers) and the body. Written to a
/// temporary name and renamed into place, so a reader never sees a half-written file under its final name; not
/// fsynced (a cache entry is not an acknowledged write: losing it costs one origin fetch), so after a power loss a
/// renamed file may be torn — the hash, checked on every read of a body, turns that into a miss.
/// </summary>
internal static class DiskCacheFile
{
    public const int PrologueBytes = 32;

    /// <summary>Headers of a response are at most Kestrel's 32 KiB request-header scale; 1 MiB leaves room and bounds a corrupt length.</summary>
    public const int MaxHeaderBytes = 1024 * 1024;

    private const int MaxHeaderCount = 10_000;
    private const int ReadChunkBytes = 64 * 1024;
    private static ReadOnlySpan<byte> Magic => "MDC1"u8;

    /// <summary>What the index needs of a file (read without its body).</summary>
    internal readonly record struct Header(
        string Key,
        string Path,
        int Status,
        CacheEntryMetadata Metadata,
        ImmutableArray<KeyValuePair<string, string>> Headers,
        int HeaderLength,
        long BodyLength,
        ulong Hash)
    {
        public long FileLength => PrologueBytes + HeaderLength + BodyLength;
    }

    /// <summary>Writes <paramref name="entry"/> (its body complete) to the new file <paramref name="path"/>; returns the file's length.</summary>
    public static long Write(string path, CacheEntry entry)
    {
        var header = EncodeHeader(entry);
        var body = entry.Body;
        var buffers = new List<ReadOnlyMemory<byte>>(body.SegmentCount + 1);
        var hash = new XxHash3();
        hash.Append(header.AsSpan(PrologueBytes));
        for (var i = 0; i < body.SegmentCount; i++)
        {
            var segment = body.Segment(i);
            var bytes = segment.Buffer.AsMemory(0, segment.Count);
            hash.Append(bytes.Span);
            buffers.Add(bytes);
        }

        var prologue = header.AsSpan(0, PrologueBytes);
        Magic.CopyTo(prologue);
        BinaryPrimitives.WriteInt32LittleEndian(prologue[4..], header.Length - PrologueBytes);
        BinaryPrimitives.WriteInt64LittleEndian(prologue[8..], body.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(prologue[16..], hash.GetCurrentHashAsUInt64());
        buffers.Insert(0, header);

        var length = header.Length + body.Length;
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, length);
        // One pwritev for the header and every body segment.
        RandomAccess.Write(handle, buffers, 0);
        return length;
    }

    /// <summary>Reads the prologue and header of <paramref name="path"/>; <see cref="InvalidDataException"/> when it is not a whole cache file.</summary>
    public static Header ReadHeader(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return ReadHeader(handle, RandomAccess.GetLength(handle));
    }

    /// <summary>
    /// Reads the file of <paramref name="key"/> whole into a new pooled <see cref="CacheBody"/> and checks its hash;
    /// null (nothing read past the header) when the body is larger than <paramref name="maxBodyBytes"/>;
    /// <see cref="InvalidDataException"/> for a torn, corrupt or foreign file, <see cref="FileNotFoundException"/> when gone.
    /// </summary>
    public static async Task<CacheEntry?> ReadAsync(string path, string key, long maxBodyBytes, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        var header = ReadHeader(handle, RandomAccess.GetLength(handle));
        if (!string.Equals(header.Key, key, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path} holds another key");
        }

        if (header.BodyLength > maxBodyBytes)
        {
            return null;
        }

        var hash = new XxHash3();
        var headerBytes = ArrayPool<byte>.Shared.Rent(header.HeaderLength);
        var chunk = ArrayPool<byte>.Shared.Rent(ReadChunkBytes);
        var body = new CacheBody(header.BodyLength);
        try
        {
            await ReadExactlyAsync(handle, headerBytes.AsMemory(0, header.HeaderLength), PrologueBytes, cancellationToken).ConfigureAwait(false);
            hash.Append(headerBytes.AsSpan(0, header.HeaderLength));
            var offset = (long)PrologueBytes + header.HeaderLength;
            for (var left = header.BodyLength; left > 0;)
            {
                var n = (int)Math.Min(left, chunk.Length);
                await ReadExactlyAsync(handle, chunk.AsMemory(0, n), offset, cancellationToken).ConfigureAwait(false);
                hash.Append(chunk.AsSpan(0, n));
                body.Append(chunk.AsSpan(0, n));
                offset += n;
                left -= n;
            }

            if (hash.GetCurrentHashAsUInt64() != header.Hash)
            {
                throw new InvalidDataException($"{path}: the content does not match its hash (torn or corrupt)");
            }

            body.Complete();
            return new CacheEntry(header.Key, header.Path, header.Status, header.Headers, header.Metadata, body);
        }
        catch
        {
            body.Release();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
            ArrayPool<byte>.Shared.Return(headerBytes);
        }
    }

    /// <summary>Parses a header already in memory (the fuzz tests' entry point; the files' too, through <see cref="ReadHeader(string)"/>).</summary>
    internal static Header ParseHeader(ReadOnlySpan<byte> file, long fileLength)
    {
        if (file.Length < PrologueBytes || !file[..4].SequenceEqual(Magic))
        {
            throw new InvalidDataException("not an edge cache file (no MDC1 prologue)");
        }

        var headerLength = BinaryPrimitives.ReadInt32LittleEndian(file[4..]);
        var bodyLength = BinaryPrimitives.ReadInt64LittleEndian(file[8..]);
        var hash = BinaryPrimitives.ReadUInt64LittleEndian(file[16..]);
        if (headerLength is <= 0 or > MaxHeaderBytes || bodyLength < 0 || PrologueBytes + headerLength + bodyLength != fileLength)
        {
            throw new InvalidDataException($"lengths do not add up (header {headerLength}, body {bodyLength}, file {fileLength}): torn or corrupt");
        }

        if (file.Length < PrologueBytes + headerLength)
        {
            throw new InvalidDataException("the header is cut short");
        }

        try
        {
            return DecodeHeader(file.Slice(PrologueBytes, headerLength).ToArray(), headerLength, bodyLength, hash);
        }
        catch (Exception ex) when (ex is EndOfStreamException or FormatException or ArgumentException or DecoderFallbackException)
        {
            throw new InvalidDataException($"the header does not parse: {ex.Message}", ex);
        }
    }

    private static Header ReadHeader(SafeFileHandle handle, long fileLength)
    {
        Span<byte> prologue = stackalloc byte[PrologueBytes];
        if (fileLength < PrologueBytes || RandomAccess.Read(handle, prologue, 0) != PrologueBytes)
        {
            throw new InvalidDataException("shorter than the prologue: torn or not a cache file");
        }

        var headerLength = BinaryPrimitives.ReadInt32LittleEndian(prologue[4..]);
        if (headerLength is <= 0 or > MaxHeaderBytes || PrologueBytes + (long)headerLength > fileLength)
        {
            return ParseHeader(prologue, fileLength); // throws with the reason
        }

        var bytes = ArrayPool<byte>.Shared.Rent(PrologueBytes + headerLength);
        try
        {
            var span = bytes.AsSpan(0, PrologueBytes + headerLength);
            prologue.CopyTo(span);
            var read = RandomAccess.Read(handle, span[PrologueBytes..], PrologueBytes);
            if (read != headerLength)
            {
                throw new InvalidDataException("the header is cut short");
            }

            return ParseHeader(span, fileLength);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static async ValueTask ReadExactlyAsync(SafeFileHandle handle, Memory<byte> buffer, long offset, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var n = await RandomAccess.ReadAsync(handle, buffer, offset, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new InvalidDataException("the file ended early: torn");
            }

            buffer = buffer[n..];
            offset += n;
        }
    }

    /// <summary>The prologue (zeroed, filled in by <see cref="Write"/>) followed by the header.</summary>
    private static byte[] EncodeHeader(CacheEntry entry)
    {
        using var stream = new MemoryStream();
        stream.Write(new byte[PrologueBytes]);
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            var meta = entry.Metadata;
            writer.Write(entry.Key);
            writer.Write(entry.Path);
            writer.Write(entry.Status);
            writer.Write(meta.StoredAt.UtcTicks);
            writer.Write(meta.Expires.UtcTicks);
            writer.Write(meta.StaleWhileRevalidate.Ticks);
            writer.Write(meta.StaleIfError.Ticks);
            writer.Write(meta.ETag is not null);
            writer.Write(meta.ETag ?? "");
            writer.Write(meta.LastModified is not null);
            writer.Write(meta.LastModified?.UtcTicks ?? 0);
            writer.Write(entry.Headers.Length);
            foreach (var (name, value) in entry.Headers)
            {
                writer.Write(name);
                writer.Write(value);
            }
        }

        if (stream.Length - PrologueBytes > MaxHeaderBytes)
        {
            throw new InvalidDataException($"the entry's header is {stream.Length - PrologueBytes} bytes, above {MaxHeaderBytes}: not written");
        }

        return stream.ToArray();
    }

    private static Header DecodeHeader(byte[] bytes, int headerLength, long bodyLength, ulong hash)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), new UTF8Encoding(false, throwOnInvalidBytes: true));
        var key = reader.ReadString();
        var path = reader.ReadString();
        var status = reader.ReadInt32();
        var storedAt = Utc(reader.ReadInt64());
        var expires = Utc(reader.ReadInt64());
        var swr = Span(reader.ReadInt64());
        var sie = Span(reader.ReadInt64());
        var hasETag = reader.ReadBoolean();
        var etag = reader.ReadString();
        var hasLastModified = reader.ReadBoolean();
        var lastModified = reader.ReadInt64();
        var count = reader.ReadInt32();
        if (key.Length == 0 || status is < 100 or > 999 || count is < 0 or > MaxHeaderCount)
        {
            throw new InvalidDataException($"implausible header (key length {key.Length}, status {status}, {count} response headers)");
        }

        var headers = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>(count);
        for (var i = 0; i < count; i++)
        {
            headers.Add(new(reader.ReadString(), reader.ReadString()));
        }

        if (reader.BaseStream.Position != headerLength)
        {
            throw new InvalidDataException("trailing bytes after the header");
        }

        var metadata = new CacheEntryMetadata(storedAt, expires, swr, sie, hasETag ? etag : null, hasLastModified ? Utc(lastModified) : null);
        return new Header(key, path, status, metadata, headers.MoveToImmutable(), headerLength, bodyLength, hash);
    }

    private static DateTimeOffset Utc(long ticks) =>
        ticks is >= 0 and <= 3155378975999999999 ? new DateTimeOffset(ticks, TimeSpan.Zero) : throw new InvalidDataException($"a date out of range ({ticks} ticks)");

    private static TimeSpan Span(long ticks) => ticks >= 0 ? TimeSpan.FromTicks(ticks) : throw new InvalidDataException($"a negative duration ({ticks} ticks)");
}
