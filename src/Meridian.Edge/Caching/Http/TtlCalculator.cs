using Meridian.Topology.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Meridian.Edge.Caching;

/// <summary>
/// Whether and for how long the edge keeps an origin response.
/// </summary>
/// <param name="Store">Keep the response for other viewers.</param>
/// <param name="Ttl">Freshness at the edge, counted from the moment the response was received.</param>
/// <param name="StaleWhileRevalidate">After <paramref name="Ttl"/>, how long a stale copy may be served while one refresh runs.</param>
/// <param name="StaleIfError">After <paramref name="Ttl"/>, how long a stale copy may be served when the origins fail.</param>
/// <param name="Reason">Which rule decided (for logs and tests).</param>
public sealed record CacheDecision(bool Store, TimeSpan Ttl, TimeSpan StaleWhileRevalidate, TimeSpan StaleIfError, string Reason)
{
    public static CacheDecision NotStored(string reason) => new(false, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, reason);
}

/// <summary>
/// CloudFront's TTL rules ("Manage how long content stays in the cache (expiration)", the table "Specifying the amount
/// of time that CloudFront caches objects") plus the storability checks a shared cache needs (RFC 9111 §3).
/// </summary>
/// <remarks>
/// Order of evaluation (each rule cites its source):
/// <list type="number">
/// <item>Method: only the behaviour's cached methods (GET/HEAD, optionally OPTIONS) are stored
///   (CloudFront: "CloudFront always caches responses to GET and HEAD requests ... You can also configure CloudFront to
///   cache responses to OPTIONS requests").</item>
/// <item><c>Set-Cookie</c>: never stored (Meridian's safe rule: a response that sets a cookie is meant for one viewer;
///   CloudFront would cache it when cookies are forwarded, which can hand one viewer's session to another).</item>
/// <item><c>Vary: *</c>: never stored; <c>Vary</c> on a header not in the cache key: not stored (the stored copy could not
///   be selected correctly, RFC 9111 §4.1). <c>Accept-Encoding</c> is always in the key (normalised), header-list
///   headers are in the key, <c>Cookie</c> only when all cookies are.</item>
/// <item><c>Cache-Control: private</c>: never stored (Meridian: "a response with Set-Cookie or private is not served to
///   another client"; CloudFront would cache it for the minimum TTL when that is &gt; 0 — deliberate divergence).</item>
/// <item>4xx/5xx: cached only for statuses in the distribution's error caching minimum TTL map, for the larger of that
///   TTL (10 s by default) and the origin's <c>s-maxage</c>/<c>max-age</c> ("How CloudFront processes and caches HTTP 4xx
///   and 5xx status codes": "caches ... for the maximum of the error caching minimum TTL ... [and] Cache-Control max-age
///   or s-maxage"). Min/max TTL of the behaviour do not apply to errors; no stale allowances for errors.</item>
/// <item>Other statuses are stored only if cacheable: 200, 203, 204, 300, 301, 302, 307, 308 (RFC 9110 heuristically
///   cacheable 1xx-3xx statuses plus the redirects CloudFront caches). 206 (the store keeps whole objects) and 304 are
///   not; 4xx/5xx (410 included) follow the error rule only.</item>
/// <item><c>no-cache</c>/<c>no-store</c>: with minimum TTL 0 "CloudFront ... respect[s] the headers" (not stored); with
///   minimum TTL &gt; 0 "CloudFront caches objects for the value of the CloudFront minimum TTL".</item>
/// <item>Origin freshness: <c>s-maxage</c> over <c>max-age</c> over <c>Expires</c> ("If you specify values both for
///   Cache-Control max-age and for Expires, CloudFront uses only the value of Cache-Control max-age"; s-maxage is the
///   edge value when both are sent). The edge TTL is that value capped by the maximum TTL and floored by the minimum TTL
///   (table: "lesser of max-age or maximum TTL"; min &gt; 0: "max-age &lt; min TTL → min TTL").</item>
/// <item>No freshness information: the default TTL, or the minimum TTL if larger ("CloudFront caches objects for the
///   greater of the value of the CloudFront minimum TTL or default TTL"); the maximum TTL does not cap it
///   ("CloudFront uses [max TTL] only when the origin sends Cache-Control or Expires headers").</item>
/// </list>
/// Ambiguities decided here:
/// <list type="bullet">
/// <item><c>Age</c>: a max-age/s-maxage lifetime is reduced by the origin's <c>Age</c> (RFC 9111 §4.2.3; an upstream cache
///   already held the object that long) before min/max are applied. <c>Expires</c> is an absolute time: TTL = Expires − now;
///   an Expires in the past or unparsable counts as 0 (RFC 9111 §5.3).</item>
/// <item>A TTL of 0 is still stored when the response has a validator (ETag/Last-Modified) or a stale allowance, so the
///   next request revalidates with a conditional GET (CloudFront's RefreshHit) instead of a full fetch.</item>
/// <item>Stale allowances: the larger of the origin's <c>stale-while-revalidate</c>/<c>stale-if-error</c> directive and the
///   behaviour's edge setting; <c>must-revalidate</c>/<c>proxy-revalidate</c> cancel the behaviour's settings (the origin
///   forbade serving stale without revalidation) but an explicit origin stale directive still applies.</item>
/// </list>
/// </remarks>
public static class TtlCalculator
{
    /// <summary>Statuses (other than errors) that are stored.</summary>
    public static readonly IReadOnlySet<int> CacheableStatuses = new HashSet<int> { 200, 203, 204, 300, 301, 302, 307, 308 };

    public static CacheDecision Decide(
        CacheBehaviorConfig behavior,
        string method,
        int status,
        IHeaderDictionary responseHeaders,
        DateTimeOffset now,
        IReadOnlyDictionary<int, TimeSpan>? errorCachingMinTtl = null)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        ArgumentNullException.ThrowIfNull(responseHeaders);
        errorCachingMinTtl ??= DistributionConfig.DefaultErrorCachingMinTtl;

        if (!IsCachedMethod(behavior.CachedMethods, method))
        {
            return CacheDecision.NotStored($"method {method} is not cached by this behavior");
        }

        if (responseHeaders.ContainsKey(HeaderNames.SetCookie))
        {
            return CacheDecision.NotStored("response has Set-Cookie");
        }

        var varyProblem = CheckVary(responseHeaders, behavior.CacheKey);
        if (varyProblem is not null)
        {
            return CacheDecision.NotStored(varyProblem);
        }

        var cc = ResponseCacheControl.Parse(responseHeaders.CacheControl);
        if (cc.Private)
        {
            return CacheDecision.NotStored("Cache-Control: private");
        }

        if (status >= 400)
        {
            return DecideError(status, cc, errorCachingMinTtl);
        }

        if (!CacheableStatuses.Contains(status))
        {
            return CacheDecision.NotStored($"status {status} is not cacheable");
        }

        var ttl = behavior.Ttl;
        var (swr, sie) = StaleAllowances(cc, behavior);
        if (cc.NoCache || cc.NoStore)
        {
            var directive = cc.NoStore ? "no-store" : "no-cache";
            return ttl.Min > TimeSpan.Zero
                ? new CacheDecision(true, ttl.Min, swr, sie, $"Cache-Control: {directive} overridden by minimum TTL")
                : CacheDecision.NotStored($"Cache-Control: {directive} honoured (minimum TTL 0)");
        }

        var (lifetime, source) = OriginLifetime(cc, responseHeaders, now);
        if (lifetime is null)
        {
            var value = Max(ttl.Min, ttl.Default);
            return Result(value, swr, sie, responseHeaders, value == ttl.Default ? "default TTL (no Cache-Control max-age/s-maxage or Expires)" : "minimum TTL (greater than default TTL)");
        }

        var capped = Min(lifetime.Value, ttl.Max);
        var floored = Max(capped, ttl.Min);
        var reason = floored == lifetime.Value ? source
            : floored == ttl.Min && lifetime.Value < ttl.Min ? $"{source} floored by minimum TTL"
            : $"{source} capped by maximum TTL";
        return Result(floored, swr, sie, responseHeaders, reason);
    }

    /// <summary>Whether a method's responses are cached under the behaviour's cached-methods setting.</summary>
    public static bool IsCachedMethod(CachedMethods cached, string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || (cached == CachedMethods.GetHeadOptions && HttpMethods.IsOptions(method));

    private static CacheDecision DecideError(int status, ResponseCacheControl cc, IReadOnlyDictionary<int, TimeSpan> errorCachingMinTtl)
    {
        if (!errorCachingMinTtl.TryGetValue(status, out var minimum))
        {
            return CacheDecision.NotStored($"error status {status} is not cached");
        }

        var origin = cc.SharedMaxAge ?? cc.MaxAge;
        var ttl = origin is { } o && o > minimum ? o : minimum;
        var reason = origin is { } v && v > minimum ? $"error {status}: origin {(cc.SharedMaxAge is null ? "max-age" : "s-maxage")} longer than error caching minimum TTL" : $"error {status}: error caching minimum TTL";
        return ttl > TimeSpan.Zero ? new CacheDecision(true, ttl, TimeSpan.Zero, TimeSpan.Zero, reason) : CacheDecision.NotStored($"error {status}: error caching minimum TTL is 0");
    }

    private static (TimeSpan? Lifetime, string Source) OriginLifetime(ResponseCacheControl cc, IHeaderDictionary headers, DateTimeOffset now)
    {
        var age = Age(headers);
        if (cc.SharedMaxAge is { } sMaxAge)
        {
            return (Max(sMaxAge - age, TimeSpan.Zero), age > TimeSpan.Zero ? "s-maxage less Age" : "s-maxage");
        }

        if (cc.MaxAge is { } maxAge)
        {
            return (Max(maxAge - age, TimeSpan.Zero), age > TimeSpan.Zero ? "max-age less Age" : "max-age");
        }

        if (headers.ContainsKey(HeaderNames.Expires))
        {
            var expires = HttpDates.Parse(headers.Expires);
            if (expires is null || expires.Value <= now)
            {
                return (TimeSpan.Zero, "Expires in the past or invalid");
            }

            return (expires.Value - now, "Expires");
        }

        return (null, "none");
    }

    /// <summary>The origin's <c>Age</c> header (RFC 9111 §5.1), zero when absent or invalid.</summary>
    public static TimeSpan Age(IHeaderDictionary headers)
    {
        var text = headers.Age.ToString();
        return text.Length > 0 && text.All(char.IsAsciiDigit) && long.TryParse(text, out var seconds)
            ? TimeSpan.FromSeconds(Math.Min(seconds, 2147483648))
            : TimeSpan.Zero;
    }

    private static (TimeSpan Swr, TimeSpan Sie) StaleAllowances(ResponseCacheControl cc, CacheBehaviorConfig behavior)
    {
        var forbidStale = cc.MustRevalidate || cc.ProxyRevalidate;
        var edgeSwr = forbidStale ? TimeSpan.Zero : behavior.StaleWhileRevalidate ?? TimeSpan.Zero;
        var edgeSie = forbidStale ? TimeSpan.Zero : behavior.StaleIfError ?? TimeSpan.Zero;
        return (Max(cc.StaleWhileRevalidate ?? TimeSpan.Zero, edgeSwr), Max(cc.StaleIfError ?? TimeSpan.Zero, edgeSie));
    }

    private static CacheDecision Result(TimeSpan ttl, TimeSpan swr, TimeSpan sie, IHeaderDictionary headers, string reason)
    {
        if (ttl > TimeSpan.Zero)
        {
            return new CacheDecision(true, ttl, swr, sie, reason);
        }

        var hasValidator = headers.ContainsKey(HeaderNames.ETag) || headers.ContainsKey(HeaderNames.LastModified);
        return hasValidator || swr > TimeSpan.Zero || sie > TimeSpan.Zero
            ? new CacheDecision(true, TimeSpan.Zero, swr, sie, reason + " (TTL 0: stored for revalidation)")
            : new CacheDecision(false, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, reason + " (TTL 0, nothing to revalidate with)");
    }

    /// <summary>Null when <c>Vary</c> allows storing under the behaviour's cache key; else why not.</summary>
    public static string? CheckVary(IHeaderDictionary responseHeaders, CacheKeyConfig key)
    {
        foreach (var line in responseHeaders.Vary)
        {
            if (string.IsNullOrEmpty(line))
            {
                continue;
            }

            foreach (var raw in line.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (raw == "*")
                {
                    return "Vary: *";
                }

                if (raw.Equals(HeaderNames.AcceptEncoding, StringComparison.OrdinalIgnoreCase)
                    || (raw.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase) && key.Cookies == KeyListPolicy.All)
                    || key.Headers.Any(h => h.Equals(raw, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                return $"Vary: {raw} is not in the cache key";
            }
        }

        return null;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
