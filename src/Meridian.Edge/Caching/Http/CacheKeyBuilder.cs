using Meridian.Topology.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Meridian.Edge.Caching;

/// <summary>The cache key of a viewer request and the shape of the request forwarded to the origin on a miss.</summary>
/// <param name="Key">An unambiguous string (every component length-prefixed): equal keys ⇔ equal key components.</param>
/// <param name="AcceptEncoding">CloudFront's normalised Accept-Encoding: "br,gzip", "br", "gzip" or "" (identity).</param>
/// <param name="Origin">What the origin request carries (the key's components, nothing else from the viewer).</param>
public sealed record CacheKeyResult(string Key, string AcceptEncoding, ForwardedRequestShape Origin);

/// <summary>
/// Builds cache keys from a behaviour's <see cref="CacheKeyConfig"/>, CloudFront's cache-policy way: what is in the key is
/// forwarded to the origin, what is not is stripped (CloudFront: "The headers, cookies, and query strings that are
/// included in the cache key are automatically included in requests that CloudFront sends to the origin").
/// </summary>
/// <remarks>
/// Key components: method class (GET and HEAD share one: CloudFront caches GET and HEAD responses together; OPTIONS is
/// its own), distribution (aliases of one distribution share entries), path (case-sensitive, as received), query string,
/// allow-listed headers, cookies, normalised Accept-Encoding.
/// <list type="bullet">
/// <item>Query strings: none / all / allow-list / all-except. Order and case are significant and kept as received
///   (CloudFront: "The order of parameters matters in query strings ... will cause CloudFront ... to cache two separate
///   versions"; "CloudFront considers the case of parameter names and values"). Parameters are split on '&amp;' only;
///   names are compared after percent-decoding, case-sensitively. Empty segments ("a&amp;&amp;b") are dropped.</item>
/// <item>Headers: allow-list only (CloudFront's cache policy has no "all headers"); names case-insensitive, values as
///   sent (several field lines joined with ", "). <c>Accept-Encoding</c> and <c>Cookie</c> in the list are ignored
///   (handled by their own rules).</item>
/// <item>Cookies: none / all / allow-list / all-except, parsed from the Cookie header(s); names case-sensitive
///   (CloudFront: cookie names are case sensitive). In the key, cookies are ordered by name (stable), since cookie order
///   carries no meaning; the forwarded Cookie header keeps the viewer's order.</item>
/// <item>Accept-Encoding: CloudFront's normalisation with both "cache gzip" and "cache Brotli" enabled: only <c>br</c> and
///   <c>gzip</c> survive (q=0 excluded; "deflate", "sdch", "*" dropped), giving "br,gzip", "br", "gzip" or nothing; the
///   normalised value is in the key and forwarded. HTTP/1.0 requests get none ("If a request to CloudFront uses HTTP 1.0,
///   CloudFront removes the Accept-Encoding header").</item>
/// </list>
/// </remarks>
public sealed partial class CacheKeyBuilder
{
    private readonly CacheKeyConfig _config;
    private readonly string[] _headers;          // lower-case, distinct, sorted: the order in the key
    private readonly HashSet<string> _queryNames;
    private readonly HashSet<string> _cookieNames;

    // The origin request shapes of fast-form keys, by normalised Accept-Encoding (FromFastKey).
    private readonly ForwardedRequestShape?[] _fastShapes = new ForwardedRequestShape?[4];

    // Shared by every key without cookies; never modified.
    private static readonly List<(string Name, string Value)> NoCookies = [];

    public CacheKeyBuilder(CacheKeyConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _headers = [.. config.Headers
            .Select(h => h.Trim().ToLowerInvariant())
            .Where(h => h.Length > 0 && h != "accept-encoding" && h != "cookie")
            .Distinct()
            .Order(StringComparer.Ordinal)];
        _queryNames = new HashSet<string>(config.QueryStringNames, StringComparer.Ordinal);
        _cookieNames = new HashSet<string>(config.CookieNames, StringComparer.Ordinal);
    }

    /// <summary>Builds the key and the origin request shape.</summary>
    /// <param name="method">Request method.</param>
    /// <param name="distribution">The distribution's name (not the Host: all aliases share the cache).</param>
    /// <param name="path">The request path (no query string).</param>
    /// <param name="query">The raw query string, with or without the leading '?'; null or empty for none.</param>
    /// <param name="headers">Viewer request headers.</param>
    /// <param name="http10">True for an HTTP/1.0 request (Accept-Encoding removed).</param>
    /// <param name="forwardedScheme">
    /// The viewer scheme when the edge forwards it to the origin (Meridian's edge sends <c>X-Forwarded-Proto</c>): it
    /// then has to be in the key, or an origin that redirects http→https on it would get its 301 cached for https
    /// viewers too (a redirect loop). Null when the edge does not forward the scheme.
    /// </param>
    /// <param name="forwardedHost">
    /// The viewer Host when the edge forwards it (<c>X-Forwarded-Host</c>): in the key so an origin that builds URLs from
    /// it cannot serve one alias's links to another. Null when not forwarded (CloudFront's default: the key has the
    /// distribution only).
    /// </param>
    public CacheKeyResult Build(string method, string distribution, string path, string? query, IHeaderDictionary headers,
        bool http10 = false, string? forwardedScheme = null, string? forwardedHost = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var forwardedQuery = FilterQuery(query);
        var cookie = FilterCookies(headers.Cookie, out var keyCookies);
        var acceptEncoding = http10 ? "" : NormalizeAcceptEncoding(headers.AcceptEncoding.ToString());

        var key = FormatKey(MethodClass(method), distribution, path, forwardedQuery, headers, keyCookies, acceptEncoding,
            forwardedScheme, forwardedHost);
        var shape = new ForwardedRequestShape(forwardedQuery, _headers, cookie, acceptEncoding.Length == 0 ? null : acceptEncoding,
            ForwardAuthorization: !TtlCalculator.IsCachedMethod(CachedMethods.GetHeadOptions, method));
        return new CacheKeyResult(key, acceptEncoding, shape);
    }

    /// <summary>
    /// <see cref="Build"/>'s origin request shape alone, for a behaviour with caching disabled: nothing is stored, so no
    /// key is formatted, but the key settings still decide what the origin gets.
    /// </summary>
    public ForwardedRequestShape OriginShape(string method, string? query, IHeaderDictionary headers, bool http10 = false) =>
        OriginShape(method, query, headers, http10, out _);

    /// <param name="shared">True when the shape is one of the builder's kept ones (the same instance for every such request).</param>
    internal ForwardedRequestShape OriginShape(string method, string? query, IHeaderDictionary headers, bool http10, out bool shared)
    {
        ArgumentNullException.ThrowIfNull(headers);
        shared = false;
        var acceptEncodings = headers.AcceptEncoding;
        var acceptEncoding = http10 || acceptEncodings.Count == 0 ? ""
            : acceptEncodings.Count == 1 ? NormalizeAcceptEncoding(acceptEncodings[0].AsSpan())
            : NormalizeAcceptEncoding(acceptEncodings.ToString());
        var forwardAuthorization = !TtlCalculator.IsCachedMethod(CachedMethods.GetHeadOptions, method);
        if (!forwardAuthorization
            && (_config.QueryStrings == KeyListPolicy.None || query is null or "" or "?")
            && (_config.Cookies == KeyListPolicy.None || headers.Cookie.Count == 0))
        {
            shared = true;
            return FastShape(acceptEncoding);
        }

        return new ForwardedRequestShape(FilterQuery(query), _headers, FilterCookies(headers.Cookie, out _),
            acceptEncoding.Length == 0 ? null : acceptEncoding, forwardAuthorization);
    }

    /// <summary>"GET" for GET and HEAD (they share entries), otherwise the method upper-cased.</summary>
    public static string MethodClass(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? "GET" : method.ToUpperInvariant();

    /// <summary>CloudFront's Accept-Encoding normalisation: "br,gzip", "br", "gzip" or "".</summary>
    public static string NormalizeAcceptEncoding(string? acceptEncoding) => NormalizeAcceptEncoding(acceptEncoding.AsSpan());

    private string FilterQuery(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return "";
        }

        if (query[0] == '?')
        {
            query = query[1..];
        }

        if (_config.QueryStrings == KeyListPolicy.None || query.Length == 0)
        {
            return "";
        }

        var kept = new List<string>();
        foreach (var segment in query.Split('&'))
        {
            if (segment.Length == 0)
            {
                continue;
            }

            var eq = segment.IndexOf('=');
            var name = Unescape(eq < 0 ? segment : segment[..eq]);
            var keep = _config.QueryStrings switch
            {
                KeyListPolicy.All => true,
                KeyListPolicy.AllowList => _queryNames.Contains(name),
                KeyListPolicy.AllExcept => !_queryNames.Contains(name),
                _ => false,
            };
            if (keep)
            {
                kept.Add(segment);
            }
        }

        return string.Join('&', kept);
    }

    private static string Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return value;
        }
    }

    // Returns the forwarded Cookie header (viewer order) or null, and the key's cookies (ordered by name, stable).
    private string? FilterCookies(Microsoft.Extensions.Primitives.StringValues cookieHeaders, out List<(string Name, string Value)> keyCookies)
    {
        keyCookies = NoCookies;
        if (_config.Cookies == KeyListPolicy.None || cookieHeaders.Count == 0)
        {
            return null;
        }

        var kept = new List<(string Name, string Value)>();
        foreach (var line in cookieHeaders)
        {
            if (string.IsNullOrEmpty(line))
            {
                continue;
            }

            foreach (var pair in line.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var name = (eq < 0 ? pair : pair[..eq]).Trim();
                var value = eq < 0 ? "" : pair[(eq + 1)..].Trim();
                if (name.Length == 0)
                {
                    continue;
                }

                var keep = _config.Cookies switch
                {
                    KeyListPolicy.All => true,
                    KeyListPolicy.AllowList => _cookieNames.Contains(name),
                    KeyListPolicy.AllExcept => !_cookieNames.Contains(name),
                    _ => false,
                };
                if (keep)
                {
                    kept.Add((name, value));
                }
            }
        }

        if (kept.Count == 0)
        {
            return null;
        }

        keyCookies = [.. kept.OrderBy(c => c.Name, StringComparer.Ordinal)];
        return string.Join("; ", kept.Select(c => $"{c.Name}={c.Value}"));
    }
}
