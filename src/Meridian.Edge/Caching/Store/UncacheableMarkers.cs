using System.Collections.Concurrent;

namespace Meridian.Edge.Caching;

/// <summary>
/// Varnish's "hit-for-miss": keys whose origin answered with a response that may not be stored (<c>no-store</c>,
/// <c>private</c>, a zero TTL...). Until the marker expires, a miss of such a key goes to the origin at once instead of
/// queueing behind the one request in flight (request collapsing only pays when the answer can be shared; for an API
/// endpoint under load it would serialise every request behind the previous one). A storable answer clears the
/// marker, so a key that becomes cacheable is collapsed and stored again from the next request on.
/// </summary>
internal sealed class UncacheableMarkers(TimeProvider time)
{
    /// <summary>Varnish's builtin VCL keeps hit-for-miss objects 120 s.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(120);

    // Bounds memory against a scan of uncacheable URLs: past this many markers they are all dropped (the cost of
    // forgetting is one collapsed wait per key, as before the marker existed).
    private const int MaxMarkers = 65_536;

    private readonly ConcurrentDictionary<string, long> _until = new(StringComparer.Ordinal);

    public int Count => _until.Count;

    /// <summary>True while <paramref name="key"/> carries an unexpired marker.</summary>
    public bool IsMarked(string key)
    {
        if (_until.IsEmpty || !_until.TryGetValue(key, out var until))
        {
            return false;
        }

        if (time.GetUtcNow().UtcTicks < until)
        {
            return true;
        }

        _until.TryRemove(new KeyValuePair<string, long>(key, until));
        return false;
    }

    public void Mark(string key)
    {
        if (_until.Count >= MaxMarkers)
        {
            _until.Clear();
        }

        _until[key] = (time.GetUtcNow() + Lifetime).UtcTicks;
    }

    public void Clear(string key) => _until.TryRemove(key, out _);

    /// <summary>An invalidation may follow a change of the origin's caching headers: markers are forgotten.</summary>
    public void ClearAll() => _until.Clear();
}
