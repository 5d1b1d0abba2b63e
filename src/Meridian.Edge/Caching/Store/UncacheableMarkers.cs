using System.Collections.Concurrent;

namespace Meridian.Edge.Caching;

/// <summary>
/// Varnish's "hit-for-miss": keys whose origin answered with a response that may not be stored (<c>no-store</c>,
/// <c>private</c>, a zero TTL...). Until the marker expires, a miss of such a key goes to the origin at once instead of
/// queueing behind the one request in flight (request collapsing only pays when the answer can be shared; for an API
/// endpoint under load it would serialise every request behind the previous one). A storable answer clears the
/// marker, so a key that becomes cacheable is collapsed and stored again from the next request on.
/// </summary>
internal sealed class UncacheableMarkers
{
    /// <summary>Varnish's builtin VCL keeps hit-for-miss objects 120 s.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(120);

    // Bounds memory against a scan of uncacheable URLs: past this many markers they are all dropped (the cost of
    // forgetting is one collapsed wait per key, as before the marker existed).
    private const int MaxMarkers = 65_536;

    private readonly ConcurrentDictionary<string, long> _until = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _untilBySpan;

    // Kept by hand: ConcurrentDictionary's Count and IsEmpty take every lock, and a miss looks here each time.
    private int _count;

    private readonly TimeProvider _time;

    public UncacheableMarkers(TimeProvider time)
    {
        _time = time;
        _untilBySpan = _until.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// The hit path's check, by a key formatted into a buffer: the stored key string when it carries an unexpired marker
    /// (so a pass allocates no key of its own).
    /// </summary>
    public bool TryGetMarked(ReadOnlySpan<char> key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string markedKey)
    {
        if (Volatile.Read(ref _count) != 0 && _untilBySpan.TryGetValue(key, out markedKey, out var until)
            && _time.GetUtcNow().UtcTicks < until)
        {
            return true;
        }

        markedKey = null;
        return false;
    }

    /// <summary>True while <paramref name="key"/> carries an unexpired marker.</summary>
    public bool IsMarked(string key)
    {
        if (Volatile.Read(ref _count) == 0 || !_until.TryGetValue(key, out var until))
        {
            return false;
        }

        if (_time.GetUtcNow().UtcTicks < until)
        {
            return true;
        }

        if (_until.TryRemove(new KeyValuePair<string, long>(key, until)))
        {
            Interlocked.Decrement(ref _count);
        }

        return false;
    }

    /// <summary>Marks <paramref name="key"/> for <see cref="Lifetime"/>; a marker past half its life is renewed, a younger one left alone.</summary>
    public void Mark(string key)
    {
        var now = _time.GetUtcNow();
        var until = (now + Lifetime).UtcTicks;
        if (_until.TryGetValue(key, out var current))
        {
            if (current - now.UtcTicks < Lifetime.Ticks / 2)
            {
                _until[key] = until;
            }

            return;
        }

        if (Interlocked.Increment(ref _count) > MaxMarkers)
        {
            ClearAll();
            Interlocked.Increment(ref _count);
        }

        if (!_until.TryAdd(key, until))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>
    /// What a complete answer of a miss or pass teaches: <paramref name="storable"/> clears the mark (the next miss is
    /// collapsed and stored), not storable marks (or renews) it; null (not a judged GET answer) changes nothing.
    /// </summary>
    public void Remember(string key, bool? storable)
    {
        if (storable == true)
        {
            Clear(key);
        }
        else if (storable == false)
        {
            Mark(key);
        }
    }

    public void Clear(string key)
    {
        if (_until.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>An invalidation may follow a change of the origin's caching headers: markers are forgotten.</summary>
    public void ClearAll()
    {
        _until.Clear();
        Volatile.Write(ref _count, 0);
    }
}
