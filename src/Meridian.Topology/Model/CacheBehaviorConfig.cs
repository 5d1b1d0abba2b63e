namespace Meridian.Topology.Model;

/// <summary>
/// A CloudFront cache behaviour: requests whose path matches <see cref="PathPattern"/> (first match in order;
/// the default "*" last) go to <see cref="Target"/> with these viewer, method, TTL and cache-key rules.
/// </summary>
public sealed record CacheBehaviorConfig
{
    public required string PathPattern { get; init; }
    /// <summary>An origin or origin group of the distribution.</summary>
    public required string Target { get; init; }
    public ViewerProtocolPolicy ViewerProtocol { get; init; } = ViewerProtocolPolicy.AllowAll;
    public AllowedMethods AllowedMethods { get; init; } = AllowedMethods.GetHead;
    public CachedMethods CachedMethods { get; init; } = CachedMethods.GetHead;
    /// <summary>
    /// CloudFront's CachingDisabled policy: nothing is looked up, stored or collapsed; every request goes to the origin
    /// (X-Cache: Miss). <see cref="CacheKey"/> still decides what is forwarded.
    /// </summary>
    public bool CachingDisabled { get; init; }
    public TtlConfig Ttl { get; init; } = TtlConfig.CloudFrontDefault;
    public CacheKeyConfig CacheKey { get; init; } = CacheKeyConfig.Default;
    /// <summary>Compress (gzip, brotli) compressible responses by CloudFront's rules.</summary>
    public bool Compress { get; init; }
    /// <summary>Edge-side allowance to serve a stale copy while one background refresh runs (Varnish grace).</summary>
    public TimeSpan? StaleWhileRevalidate { get; init; }
    /// <summary>Edge-side allowance to serve a stale copy when every origin fails (nginx proxy_cache_use_stale).</summary>
    public TimeSpan? StaleIfError { get; init; }
    public SourceLocation Location { get; init; } = SourceLocation.None;
}

public enum ViewerProtocolPolicy
{
    AllowAll,
    /// <summary>HTTP requests get 301 to the same URL over HTTPS.</summary>
    RedirectToHttps,
    /// <summary>HTTP requests get 403.</summary>
    HttpsOnly,
}

public enum AllowedMethods
{
    GetHead,
    GetHeadOptions,
    /// <summary>GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE.</summary>
    All,
}

public enum CachedMethods
{
    GetHead,
    GetHeadOptions,
}

/// <summary>CloudFront TTLs: min 0, default 86,400 s (24 h), max 31,536,000 s (365 days) unless set.</summary>
public sealed record TtlConfig(TimeSpan Min, TimeSpan Default, TimeSpan Max)
{
    public static readonly TtlConfig CloudFrontDefault = new(TimeSpan.Zero, TimeSpan.FromSeconds(86400), TimeSpan.FromSeconds(31536000));
}

/// <summary>What goes into the cache key (and so is forwarded to the origin): query strings, headers, cookies.</summary>
public sealed record CacheKeyConfig(
    KeyListPolicy QueryStrings,
    IReadOnlyList<string> QueryStringNames,
    IReadOnlyList<string> Headers,
    KeyListPolicy Cookies,
    IReadOnlyList<string> CookieNames)
{
    public static readonly CacheKeyConfig Default = new(KeyListPolicy.None, [], [], KeyListPolicy.None, []);
}

public enum KeyListPolicy
{
    None,
    All,
    AllowList,
    AllExcept,
}
