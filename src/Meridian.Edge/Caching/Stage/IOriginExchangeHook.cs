using Microsoft.AspNetCore.Http;

namespace Meridian.Edge.Caching;

/// <summary>
/// Set as an <see cref="HttpContext"/> feature by the cache stage before it calls the origin side: the per-attempt
/// transformer lets it reshape the origin request (cache key shape, revalidation validators) and observe or suppress
/// the origin response before YARP copies it (storability, 304 of a revalidation, stale-if-error).
/// </summary>
internal interface IOriginExchangeHook
{
    /// <summary>Right after the viewer headers are copied, before the edge adds X-Forwarded-* and Via.</summary>
    void OnRequest(HttpRequestMessage proxyRequest);

    /// <summary>The query string the origin gets (without '?', "" for none): the cache key's; null forwards the viewer's.</summary>
    string? OriginQuery { get; }

    /// <summary>After the origin's headers are copied to the response; false = copy no body (the stage answers itself).</summary>
    bool OnResponse(HttpContext http, HttpResponseMessage proxyResponse);

    /// <summary>
    /// The forward ended and the forwarder's own deferred-flush body wrote <paramref name="bodyBytes"/> to the viewer
    /// (called only when the stage did not replace the response body itself: a stage with its own body stream counts
    /// there). <paramref name="completed"/>: no forwarder error and the viewer still there.
    /// </summary>
    void OnForwarded(long bodyBytes, bool completed)
    {
    }
}
