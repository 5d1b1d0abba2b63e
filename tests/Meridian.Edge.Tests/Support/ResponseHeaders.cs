namespace Meridian.Edge.Tests;

/// <summary>A response header's value as the viewer sees it, from the response or its content headers.</summary>
internal static class ResponseHeaders
{
    /// <summary>The values joined with ","; null when the response has no such header.</summary>
    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content)
        : null;
}
