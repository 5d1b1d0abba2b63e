namespace Meridian.Edge.Caching;

/// <summary>
/// The answer of <see cref="CacheStore.GetOrBeginFill"/>: a struct, so a hit allocates nothing.
/// </summary>
internal readonly struct CacheLookup
{
    private readonly CacheStore? _store;
    private readonly CacheFill? _fill;

    private CacheLookup(CacheLookupKind kind, CacheEntry? entry, CacheFill? fill, CacheStore? store)
    {
        Kind = kind;
        Entry = entry;
        _fill = fill;
        _store = store;
    }

    public CacheLookupKind Kind { get; }

    /// <summary>The stored entry when <see cref="Kind"/> is <see cref="CacheLookupKind.Hit"/>.</summary>
    public CacheEntry? Entry { get; }

    /// <summary>The caller's fill when <see cref="Kind"/> is <see cref="CacheLookupKind.Fill"/>; null otherwise.</summary>
    public CacheFill? Fill => Kind == CacheLookupKind.Fill ? _fill : null;

    /// <summary>
    /// For <see cref="CacheLookupKind.Wait"/>: the filler's entry once it has response headers (its body may
    /// still be streaming: read it with <see cref="CacheBody.TryOpenReader"/>), or null when the caller must go
    /// to the origin itself (the wait timed out, the fill failed before headers, or it is not being stored).
    /// </summary>
    public ValueTask<CacheEntry?> WaitAsync(CancellationToken cancellationToken = default) =>
        Kind == CacheLookupKind.Wait
            ? _store!.WaitForFillAsync(_fill!, cancellationToken)
            : throw new InvalidOperationException($"not a wait: {Kind}");

    internal static CacheLookup Hit(CacheEntry entry) => new(CacheLookupKind.Hit, entry, null, null);

    internal static CacheLookup Filler(CacheFill fill) => new(CacheLookupKind.Fill, null, fill, null);

    internal static CacheLookup Pass() => new(CacheLookupKind.Pass, null, null, null);

    internal static CacheLookup Waiter(CacheStore store, CacheFill fill) => new(CacheLookupKind.Wait, null, fill, store);
}
