using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Meridian.Edge.Caching;

/// <summary>How a response was produced, for <c>X-Cache</c> (CloudFront's values).</summary>
public enum CacheOutcome
{
    /// <summary>Served from the cache ("Hit from cloudfront").</summary>
    Hit,
    /// <summary>Fetched from the origin ("Miss from cloudfront").</summary>
    Miss,
    /// <summary>Expired copy revalidated with the origin (304) and served ("RefreshHit from cloudfront").</summary>
    RefreshHit,
    /// <summary>An error (origin error or edge-generated) ("Error from cloudfront").</summary>
    Error,
}

/// <summary>
/// Conditional requests and ages: the edge's revalidation request to the origin, viewer conditionals answered from a
/// stored entry (304), RFC 9111 current age (the <c>Age</c> header), <c>X-Cache</c>.
/// </summary>
public static class Revalidation
{
    /// <summary>Headers a 304 carries from the stored 200 (RFC 9110 §15.4.5).</summary>
    public static readonly IReadOnlyList<string> NotModifiedHeaderNames =
        [HeaderNames.CacheControl, HeaderNames.ContentLocation, HeaderNames.Date, HeaderNames.ETag, HeaderNames.Expires, HeaderNames.Vary, HeaderNames.LastModified];

    /// <summary>
    /// Adds the validators of a stored entry to the edge's revalidation request (RFC 9111 §4.3.1): <c>If-None-Match</c>
    /// from the origin's ETag, <c>If-Modified-Since</c> from its Last-Modified. Pass the ORIGIN's headers (a compressed
    /// variant's ETag was weakened by the edge). Returns false when the entry has no validator (a full fetch is needed).
    /// Any viewer conditionals on the request are replaced.
    /// </summary>
    public static bool AddValidators(IHeaderDictionary storedOriginHeaders, HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(storedOriginHeaders);
        ArgumentNullException.ThrowIfNull(request);
        var (ifNoneMatch, ifModifiedSince) = Validators(storedOriginHeaders);
        request.Headers.Remove(HeaderNames.IfNoneMatch);
        request.Headers.Remove(HeaderNames.IfModifiedSince);
        request.Headers.Remove(HeaderNames.IfMatch);
        request.Headers.Remove(HeaderNames.IfUnmodifiedSince);
        request.Headers.Remove(HeaderNames.IfRange);
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation(HeaderNames.IfNoneMatch, ifNoneMatch);
        }

        if (ifModifiedSince is not null)
        {
            request.Headers.TryAddWithoutValidation(HeaderNames.IfModifiedSince, ifModifiedSince);
        }

        return ifNoneMatch is not null || ifModifiedSince is not null;
    }

    /// <summary>The (If-None-Match, If-Modified-Since) values for a stored entry; null where there is no validator.</summary>
    public static (string? IfNoneMatch, string? IfModifiedSince) Validators(IHeaderDictionary storedOriginHeaders)
    {
        var etag = storedOriginHeaders.ETag.ToString();
        var lastModified = HttpDates.Parse(storedOriginHeaders.LastModified);
        return (IsValidEntityTag(etag) ? etag : null, lastModified is { } lm ? HttpDates.Format(lm) : null);
    }

    /// <summary>
    /// Whether a viewer's conditional GET/HEAD is answered 304 from a stored 200 (RFC 9110 §13.2.2): If-None-Match
    /// (weak comparison, "*" matches) takes precedence; If-Modified-Since only without If-None-Match, true when the
    /// stored Last-Modified is not later than the given date. Other methods, other statuses, invalid dates: false.
    /// </summary>
    public static bool IsNotModified(string method, IHeaderDictionary requestHeaders, int storedStatus, IHeaderDictionary storedHeaders)
    {
        ArgumentNullException.ThrowIfNull(requestHeaders);
        ArgumentNullException.ThrowIfNull(storedHeaders);
        if (!(HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) || storedStatus != StatusCodes.Status200OK)
        {
            return false;
        }

        if (requestHeaders.ContainsKey(HeaderNames.IfNoneMatch))
        {
            var stored = storedHeaders.ETag.ToString();
            foreach (var line in requestHeaders.IfNoneMatch)
            {
                foreach (var tag in SplitEntityTags(line ?? ""))
                {
                    if (tag == "*" || (stored.Length > 0 && WeakEquals(tag, stored)))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        var since = HttpDates.Parse(requestHeaders.IfModifiedSince);
        var lastModified = HttpDates.Parse(storedHeaders.LastModified);
        return since is not null && lastModified is not null && lastModified.Value <= since.Value;
    }

    /// <summary>Weak entity-tag comparison (RFC 9110 §8.8.3.2): equal opaque tags, W/ ignored.</summary>
    public static bool WeakEquals(string a, string b) => string.Equals(Opaque(a), Opaque(b), StringComparison.Ordinal);

    private static string Opaque(string tag) => tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;

    private static bool IsValidEntityTag(string tag) =>
        tag.Length >= 2 && (tag.StartsWith('"') || tag.StartsWith("W/\"", StringComparison.Ordinal)) && tag.EndsWith('"');

    private static IEnumerable<string> SplitEntityTags(string line)
    {
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && (line[i] == ',' || line[i] == ' ' || line[i] == '\t'))
            {
                i++;
            }

            if (i >= line.Length)
            {
                yield break;
            }

            var start = i;
            if (line[i] == '*')
            {
                i++;
                yield return "*";
                continue;
            }

            if (line.AsSpan(i).StartsWith("W/"))
            {
                i += 2;
            }

            if (i < line.Length && line[i] == '"')
            {
                var end = line.IndexOf('"', i + 1);
                i = end < 0 ? line.Length : end + 1;
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    i++;
                }
            }

            yield return line[start..i].Trim();
        }
    }

    /// <summary>
    /// RFC 9111 §4.2.3 current_age: corrected_initial_age (the larger of the apparent age from Date and the origin's Age
    /// plus the response delay) plus the time the entry has been resident.
    /// </summary>
    /// <param name="ageValue">The Age header the origin sent (0 when absent).</param>
    /// <param name="dateValue">The origin's Date header (null when absent: apparent age 0).</param>
    /// <param name="requestTime">When the edge sent the origin request.</param>
    /// <param name="responseTime">When the edge received the response.</param>
    /// <param name="now">The current time.</param>
    public static TimeSpan CurrentAge(TimeSpan ageValue, DateTimeOffset? dateValue, DateTimeOffset requestTime, DateTimeOffset responseTime, DateTimeOffset now)
    {
        var apparentAge = dateValue is { } date && responseTime > date ? responseTime - date : TimeSpan.Zero;
        var responseDelay = responseTime > requestTime ? responseTime - requestTime : TimeSpan.Zero;
        var correctedAgeValue = ageValue + responseDelay;
        var correctedInitialAge = apparentAge > correctedAgeValue ? apparentAge : correctedAgeValue;
        var residentTime = now > responseTime ? now - responseTime : TimeSpan.Zero;
        return correctedInitialAge + residentTime;
    }

    /// <summary>The Age header value: whole seconds, rounded down (RFC 9111 §5.1).</summary>
    public static string AgeHeaderValue(TimeSpan age) => ((long)Math.Max(0, Math.Floor(age.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>CloudFront's X-Cache value with the edge location: "Hit from eu-west", "Miss from eu-west", ...</summary>
    public static string XCache(CacheOutcome outcome, string location) =>
        s_xCache.GetOrAdd((outcome, location), static k => $"{k.Outcome} from {k.Location}");

    // A handful of outcomes × locations: formatted once each instead of on every response.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(CacheOutcome Outcome, string Location), string> s_xCache = new();

    /// <summary>
    /// Merges the headers of an origin 304 into a stored entry's headers (RFC 9111 §3.2): each field replaces the stored
    /// one, except Content-Length, Content-Encoding and Transfer-Encoding (they describe the stored body) and hop-by-hop
    /// fields.
    /// </summary>
    public static void MergeNotModified(IHeaderDictionary stored, IHeaderDictionary notModified)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(notModified);
        foreach (var (name, value) in notModified)
        {
            if (name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase)
                || name.Equals(HeaderNames.ContentEncoding, StringComparison.OrdinalIgnoreCase)
                || name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase)
                || name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase)
                || name.Equals(HeaderNames.KeepAlive, StringComparison.OrdinalIgnoreCase)
                || name.Equals(HeaderNames.Upgrade, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            stored[name] = value;
        }
    }
}
