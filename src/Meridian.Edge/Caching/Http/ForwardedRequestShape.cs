using Microsoft.Net.Http.Headers;

namespace Meridian.Edge.Caching;

/// <summary>
/// The origin request view of a cache key: the origin gets the key's components and nothing else the viewer sent, so
/// a response can only depend on what the key distinguishes (cache-poisoning safety: a viewer's
/// <c>X-Forwarded-Host</c>, <c>X-Forwarded-Scheme</c>, <c>X-Original-URL</c>, <c>X-Host</c>, ... never reach the origin
/// unless they are in the key, where they split the cache instead of poisoning it).
/// </summary>
/// <remarks>
/// Mirrors CloudFront with a cache policy and no origin request policy: only the policy's query strings, headers and
/// cookies are forwarded, plus:
/// <list type="bullet">
/// <item>the normalised <c>Accept-Encoding</c> (CloudFront "always includes the Accept-Encoding header in origin requests"
///   when gzip/Brotli caching is on);</item>
/// <item><c>Authorization</c> only for methods that are never cached (PUT, POST, PATCH, DELETE; CloudFront removes it from
///   GET and HEAD unless it is in the policy), and <c>Expect</c> with them (body upload);</item>
/// <item>the request body's content headers (<c>Content-Type</c>, <c>Content-Length</c>, ...), which live on
///   <see cref="HttpRequestMessage.Content"/> and are not touched;</item>
/// <item>the headers the edge itself sets after this filter: <c>X-Forwarded-For</c> and <c>Via</c> (appended to the
///   viewer's chain, as CloudFront does), <c>X-Forwarded-Proto</c>, <c>X-Forwarded-Host</c> (replaced by the edge's own
///   values — the viewer's copies are dropped here).</item>
/// </list>
/// Viewer conditionals (<c>If-None-Match</c>, <c>If-Modified-Since</c>, ...) and <c>Range</c> are not forwarded: the edge
/// fetches whole objects and answers conditionals itself; revalidation headers are built by <see cref="Revalidation"/>.
/// <c>User-Agent</c>, <c>Origin</c>, <c>Referer</c>, ... are forwarded only when in the key (CloudFront replaces
/// User-Agent with "Amazon CloudFront"; Meridian drops it).
/// </remarks>
/// <param name="Query">The forwarded query string without '?', "" for none.</param>
/// <param name="HeaderNames">Viewer headers in the key (lower-case), forwarded as sent.</param>
/// <param name="Cookie">The rebuilt Cookie header (key cookies only, viewer order), or null for none.</param>
/// <param name="AcceptEncoding">The normalised Accept-Encoding, or null for none.</param>
/// <param name="ForwardAuthorization">True for methods that are never cached (the viewer's Authorization goes through).</param>
public sealed record ForwardedRequestShape(
    string Query,
    IReadOnlyList<string> HeaderNames,
    string? Cookie,
    string? AcceptEncoding,
    bool ForwardAuthorization)
{
    /// <summary>Whether a viewer request header (not Cookie or Accept-Encoding, which are rebuilt) goes to the origin.</summary>
    public bool ShouldForward(string headerName)
    {
        foreach (var name in HeaderNames)
        {
            if (name.Equals(headerName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return ForwardAuthorization
            && (headerName.Equals(Microsoft.Net.Http.Headers.HeaderNames.Authorization, StringComparison.OrdinalIgnoreCase)
                || headerName.Equals(Microsoft.Net.Http.Headers.HeaderNames.Expect, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Reshapes a proxy request copied from the viewer request (call right after the headers are copied, before the edge
    /// adds its own forwarding headers): drops every non-content header not forwarded, sets Cookie and Accept-Encoding.
    /// The query string is <see cref="Query"/>, which the edge's transformer puts into the request URI itself (YARP sets
    /// the URI only after the transformer, so it is not there to rewrite yet).
    /// </summary>
    public void ApplyTo(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // NonValidated: enumerating the headers parses and allocates nothing; the list only exists when there is something to drop.
        List<string>? remove = null;
        foreach (var header in request.Headers.NonValidated)
        {
            var name = header.Key;
            if (!ShouldForward(name)
                || name.Equals(Microsoft.Net.Http.Headers.HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase)
                || name.Equals(Microsoft.Net.Http.Headers.HeaderNames.AcceptEncoding, StringComparison.OrdinalIgnoreCase))
            {
                (remove ??= []).Add(name);
            }
        }

        if (remove is not null)
        {
            foreach (var name in remove)
            {
                request.Headers.Remove(name);
            }
        }

        if (Cookie is not null)
        {
            request.Headers.TryAddWithoutValidation(Microsoft.Net.Http.Headers.HeaderNames.Cookie, Cookie);
        }

        if (AcceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation(Microsoft.Net.Http.Headers.HeaderNames.AcceptEncoding, AcceptEncoding);
        }
    }
}
