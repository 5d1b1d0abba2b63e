namespace Meridian.Edge.Caching;

/// <summary>
/// Reads a <see cref="CacheBody"/> from its first byte, waiting for the filler when it catches up with it.
/// Chunks point into the body's pooled buffers: valid until this reader is disposed. Not thread-safe (one reader
/// per response).
/// </summary>
internal sealed class CacheBodyReader : IDisposable
{
    private readonly CacheBody _body;
    private int _index;
    private int _offset;
    private bool _disposed;

    internal CacheBodyReader(CacheBody body) => _body = body;

    public CacheBody Body => _body;

    /// <summary>
    /// The next chunk (empty at the end). Throws <see cref="CacheFillFailedException"/> when the fill failed or
    /// was abandoned: what was read is a prefix of a response that will never complete.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            if (TryTake(out var chunk))
            {
                return chunk;
            }

            // Take the signal first, then look again: an append between the two is then either seen or signalled.
            var change = _body.NextChange();
            if (TryTake(out chunk))
            {
                return chunk;
            }

            await change.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Copies the rest of the body to <paramref name="destination"/> as it arrives.</summary>
    public async Task CopyToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var chunk = await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (chunk.IsEmpty)
            {
                return;
            }

            await destination.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _body.Release();
        }
    }

    /// <summary>True with a chunk, or true with an empty chunk at the end; false when the filler must be awaited.</summary>
    private bool TryTake(out ReadOnlyMemory<byte> chunk)
    {
        chunk = default;
        // The state is read before the segments: if it says completed, the counts read after it are final.
        var completed = _body.IsCompleted;
        if (_body.IsFailed)
        {
            // A new exception per reader (readers rethrow concurrently), unwrapping the store's own reasons.
            throw _body.Failure is CacheFillFailedException reason
                ? new CacheFillFailedException(reason.Message, reason.InnerException)
                : new CacheFillFailedException($"the cache fill failed: {_body.Failure?.Message}", _body.Failure);
        }

        var count = _body.SegmentCount;
        while (_index < count)
        {
            var segment = _body.Segment(_index);
            var filled = segment.Count;
            if (_offset < filled)
            {
                chunk = segment.Buffer.AsMemory(_offset, filled - _offset);
                _offset = filled;
                return true;
            }

            if (_index == count - 1)
            {
                break;
            }

            _index++; // an earlier segment is sealed: its count was final before the next one was published
            _offset = 0;
        }

        return completed;
    }
}
