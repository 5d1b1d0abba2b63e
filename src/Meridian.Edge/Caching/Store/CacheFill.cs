using System.Collections.Immutable;

namespace Meridian.Edge.Caching;

/// <summary>
/// The one filler's handle for a key (from <see cref="CacheStore.GetOrBeginFill"/> or
/// <see cref="CacheStore.TryBeginFill"/>): <see cref="Start"/> with the origin's response headers, then
/// <see cref="Append"/> chunks as they arrive (collapsed waiters stream them at once), then <see cref="Complete"/>
/// to store, or <see cref="Fail"/>/<see cref="Abandon"/>. Disposing an unfinished fill fails it, so a filler that
/// throws never leaves waiters hanging. Used by one thread at a time (the filler's request).
/// </summary>
internal sealed class CacheFill : IDisposable
{
    private readonly CacheStore _store;
    private readonly TaskCompletionSource<CacheEntry?> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CacheEntry? _entry;
    private bool _retained;
    private bool _finished;

    internal CacheFill(CacheStore store, string key, long invalidationEpoch)
    {
        _store = store;
        Key = key;
        InvalidationEpoch = invalidationEpoch;
    }

    public string Key { get; }

    /// <summary>The streaming entry once started (null before, or when the response is not retained).</summary>
    public CacheEntry? Entry => _entry;

    /// <summary>The store's invalidation count when the fill began: a later matching invalidation vetoes storing it.</summary>
    internal long InvalidationEpoch { get; }

    internal Task<CacheEntry?> Started => _started.Task;

    /// <summary>
    /// Publishes the response to waiters. Returns false when it will not be stored (a known
    /// <paramref name="contentLength"/> above the max object size): waiters go to the origin themselves at once,
    /// and <see cref="Append"/>/<see cref="Complete"/> become no-ops, so the filler just streams it through.
    /// </summary>
    public bool Start(
        string path,
        int status,
        ImmutableArray<KeyValuePair<string, string>> headers,
        CacheEntryMetadata metadata,
        long? contentLength = null)
    {
        if (_finished || _entry is not null)
        {
            throw new InvalidOperationException("the fill was already started or finished");
        }

        if (contentLength > _store.Options.EffectiveMaxObjectBytes)
        {
            _finished = true;
            _store.OnOversize(this);
            _started.TrySetResult(null);
            return false;
        }

        _entry = new CacheEntry(Key, path, status, headers, metadata, new CacheBody(contentLength));
        _retained = true;
        _started.TrySetResult(_entry);
        return true;
    }

    /// <summary>
    /// Appends a chunk for waiters and the store. Crossing the max object size (unknown length) stops retaining:
    /// waiters mid-stream get <see cref="CacheFillFailedException"/> (bounded memory beats buffering an unbounded
    /// object for them) and the filler keeps streaming its own response.
    /// </summary>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (!_retained)
        {
            return;
        }

        var body = _entry!.Body;
        if (body.Length + chunk.Length > _store.Options.EffectiveMaxObjectBytes)
        {
            _retained = false;
            _finished = true;
            _store.OnOversize(this);
            body.Fail(new CacheFillFailedException($"larger than the max object size ({_store.Options.EffectiveMaxObjectBytes} bytes): not cached"));
            body.Release();
            return;
        }

        body.Append(chunk);
    }

    /// <summary>The origin's body ended: stores the entry (unless invalidated meanwhile) and ends waiters' streams.</summary>
    public void Complete()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        if (_entry is null)
        {
            // Completed without a response to store: nothing for waiters.
            _started.TrySetResult(null);
            _store.Detach(this);
            return;
        }

        _entry.Body.Complete();
        _store.CompleteFill(this, _entry);
    }

    /// <summary>
    /// Completes the fill with an entry read whole from the disk tier (current as of <paramref name="diskEpoch"/>): the
    /// store keeps it in memory without writing it back. Collapsed waiters get it only when <paramref name="fresh"/>:
    /// they serve what they get as a hit, and an expired copy must be revalidated (by the filler) first.
    /// </summary>
    internal void CompleteFromDisk(CacheEntry entry, long diskEpoch, bool fresh)
    {
        if (_finished || _entry is not null)
        {
            throw new InvalidOperationException("the fill was already started or finished");
        }

        _finished = true;
        _entry = entry;
        var stored = _store.CompleteFill(this, entry, diskEpoch);
        _started.TrySetResult(stored && fresh ? entry : null);
    }

    /// <summary>The origin failed midway: waiters get an error (or go to the origin if no headers came), nothing is stored.</summary>
    public void Fail(Exception error) => Finish(error, countFailure: true);

    /// <summary>The response must not be cached (e.g. private): waiters go to the origin themselves.</summary>
    /// <summary>True while the body is being kept (started, not finished, not dropped for its size).</summary>
    public bool Retaining => Volatile.Read(ref _retained);

    public void Abandon() => Finish(new CacheFillFailedException("the response is not cacheable"), countFailure: false);

    internal void Cancel() => Finish(new CacheFillFailedException("the entry was stored by another fill"), countFailure: false);

    public void Dispose() => Fail(new CacheFillFailedException("the filler ended without completing the fill"));

    private void Finish(Exception error, bool countFailure)
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        _started.TrySetResult(null);
        _store.Detach(this);
        if (countFailure)
        {
            _store.OnFillFailed();
        }

        if (_entry is { } entry && _retained)
        {
            _retained = false;
            entry.Body.Fail(error);
            entry.Body.Release();
        }
    }
}
