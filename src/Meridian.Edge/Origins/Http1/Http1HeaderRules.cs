using System.Collections.Frozen;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Meridian.Edge.Http1;

/// <summary>
/// Which headers cross the edge on the direct HTTP/1.1 origin path: the same connection-level headers are dropped both
/// ways as YARP's forwarder drops them (its <c>RequestUtilities</c> exclusion list), so a response looks the same
/// whichever path carried it. Also turns common header names into shared strings instead of one string per response.
/// </summary>
internal static class Http1HeaderRules
{
    private static readonly FrozenSet<string> Excluded = new[]
    {
        HeaderNames.Connection, HeaderNames.TransferEncoding, HeaderNames.KeepAlive, HeaderNames.Upgrade,
        "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authentication-Info", "Proxy-Authorization", "Proxy-Features",
        "Proxy-Instruction", "Security-Scheme", "ALPN", "Close", HeaderNames.TE, HeaderNames.AltSvc,
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // Names origins commonly send, matched case-insensitively so each response does not allocate them again.
    private static readonly string[] Common =
    [
        HeaderNames.ContentType, HeaderNames.ContentLength, HeaderNames.Date, HeaderNames.Server, HeaderNames.CacheControl,
        HeaderNames.ETag, HeaderNames.LastModified, HeaderNames.Expires, HeaderNames.Vary, HeaderNames.ContentEncoding,
        HeaderNames.SetCookie, HeaderNames.Location, HeaderNames.AcceptRanges, HeaderNames.Age, HeaderNames.Via,
        HeaderNames.ContentLanguage, HeaderNames.ContentDisposition, HeaderNames.ContentRange, HeaderNames.Pragma,
        HeaderNames.StrictTransportSecurity, HeaderNames.XContentTypeOptions, HeaderNames.XFrameOptions,
        HeaderNames.AccessControlAllowOrigin, HeaderNames.TransferEncoding, HeaderNames.Connection, HeaderNames.KeepAlive,
        "X-Request-Id", "X-Region", "X-Instance",
    ];

    /// <summary>Whether a viewer request header stays out of the origin request (connection-level, or an HTTP/2 pseudo-header).</summary>
    public static bool SkipRequestHeader(string name) => Excluded.Contains(name) || name.StartsWith(':');

    /// <summary>Whether an origin response header stays out of the viewer's response.</summary>
    public static bool SkipResponseHeader(string name) => Excluded.Contains(name);

    /// <summary>The header name for <paramref name="bytes"/> (already checked to be token characters).</summary>
    public static string Name(ReadOnlySpan<byte> bytes)
    {
        foreach (var common in Common)
        {
            if (common.Length == bytes.Length && EqualsIgnoreCase(bytes, common))
            {
                return common;
            }
        }

        return Encoding.ASCII.GetString(bytes);
    }

    private static bool EqualsIgnoreCase(ReadOnlySpan<byte> bytes, string name)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            // Token characters only: OR-ing 0x20 folds letters and leaves '-' and digits as they are.
            if ((bytes[i] | 0x20) != (name[i] | 0x20))
            {
                return false;
            }
        }

        return true;
    }
}
