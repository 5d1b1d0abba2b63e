namespace Meridian.Edge.Caching;

/// <summary>The outcomes of <see cref="CacheStore.GetOrBeginFill"/>.</summary>
internal enum CacheLookupKind
{
    /// <summary>A stored entry (fresh or stale: the caller decides from its metadata).</summary>
    Hit,

    /// <summary>The caller is the one filler for this key and must Start, Append and Complete (or Fail/Abandon) the fill.</summary>
    Fill,

    /// <summary>Another request is filling this key: wait for its headers, then stream its body as it arrives.</summary>
    Wait,

    /// <summary>The key's last origin answer was not storable (<see cref="UncacheableMarkers"/>): go to the origin, uncollapsed.</summary>
    Pass,
}
