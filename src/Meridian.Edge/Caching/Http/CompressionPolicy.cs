using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Meridian.Edge.Caching;

/// <summary>A content coding the edge serves.</summary>
public enum ContentCoding
{
    Identity,
    Gzip,
    Brotli,
}

/// <summary>
/// CloudFront's edge compression ("Serve compressed files"): when to compress, with what, and the compressors.
/// </summary>
/// <remarks>
/// An origin response is compressed when all of these hold:
/// <list type="bullet">
/// <item>the behaviour has <c>Compress</c> on ("Compress objects automatically");</item>
/// <item>the viewer accepts <c>br</c> or <c>gzip</c> (the normalised Accept-Encoding); "When the viewer supports both
///   formats, CloudFront prefers Brotli";</item>
/// <item>the status is 200, 403 or 404 (the statuses CloudFront compresses; error pages are compressible content too);</item>
/// <item>the Content-Type is in CloudFront's list of "File types that CloudFront compresses" (media type compared without
///   parameters, case-insensitive);</item>
/// <item>"The response must include a Content-Length header" and "The file size must be between 1,000 and 10,000,000
///   bytes" (inclusive);</item>
/// <item>"The response must not include a Content-Encoding header" ("regardless of the header's value");</item>
/// <item>Meridian addition: no <c>Cache-Control: no-transform</c> (RFC 9110 §7.7: intermediaries must not change the
///   content coding).</item>
/// </list>
/// The compressed variant gets <c>Content-Encoding</c>, <c>Vary: Accept-Encoding</c>, no <c>Content-Length</c> (the
/// store sets the compressed length), and CloudFront's ETag conversion: a strong ETag becomes weak (<c>W/</c> prefix), a
/// weak one is kept, an invalid one (neither <c>"</c> nor <c>W/</c>) is removed.
/// </remarks>
public static class CompressionPolicy
{
    public const long MinimumSize = 1_000;
    public const long MaximumSize = 10_000_000;

    /// <summary>Statuses CloudFront compresses.</summary>
    public static readonly IReadOnlySet<int> CompressibleStatuses = new HashSet<int> { 200, 403, 404 };

    /// <summary>CloudFront's documented list of compressed Content-Types.</summary>
    public static readonly IReadOnlySet<string> CompressibleTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "application/dash+xml", "application/eot", "application/font", "application/font-sfnt", "application/javascript",
        "application/json", "application/opentype", "application/otf", "application/pkcs7-mime", "application/protobuf",
        "application/rss+xml", "application/truetype", "application/ttf", "application/vnd.apple.mpegurl",
        "application/vnd.ms-fontobject", "application/xhtml+xml", "application/xml",
        "application/x-font-opentype", "application/x-font-truetype", "application/x-font-ttf", "application/x-httpd-cgi",
        "application/x-javascript", "application/x-mpegurl", "application/x-opentype", "application/x-otf",
        "application/x-perl", "application/x-ttf", "font/eot", "font/opentype", "font/otf", "font/ttf", "image/svg+xml",
        "text/css", "text/csv", "text/html", "text/javascript", "text/js", "text/plain", "text/richtext",
        "text/tab-separated-values", "text/xml", "text/x-component", "text/x-java-source", "text/x-script",
        "vnd.apple.mpegurl",
    };

    /// <summary>The coding the edge compresses this response with, or <see cref="ContentCoding.Identity"/>.</summary>
    /// <param name="compress">The behaviour's Compress setting.</param>
    /// <param name="acceptEncoding">The normalised Accept-Encoding (<see cref="CacheKeyResult.AcceptEncoding"/>).</param>
    /// <param name="status">The origin status.</param>
    /// <param name="responseHeaders">The origin response headers.</param>
    public static ContentCoding Choose(bool compress, string? acceptEncoding, int status, IHeaderDictionary responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        if (!compress || string.IsNullOrEmpty(acceptEncoding) || !IsCompressible(status, responseHeaders))
        {
            return ContentCoding.Identity;
        }

        var normalized = CacheKeyBuilder.NormalizeAcceptEncoding(acceptEncoding);
        return normalized.StartsWith("br", StringComparison.Ordinal) ? ContentCoding.Brotli
            : normalized == "gzip" ? ContentCoding.Gzip
            : ContentCoding.Identity;
    }

    /// <summary>Whether the response itself qualifies (status, type, size, not already encoded, no no-transform).</summary>
    public static bool IsCompressible(int status, IHeaderDictionary responseHeaders)
    {
        if (!CompressibleStatuses.Contains(status)
            || responseHeaders.ContainsKey(HeaderNames.ContentEncoding)
            || !IsCompressibleType(responseHeaders.ContentType.ToString())
            || ResponseCacheControl.Parse(responseHeaders.CacheControl).NoTransform)
        {
            return false;
        }

        return responseHeaders.ContentLength is { } length && length >= MinimumSize && length <= MaximumSize;
    }

    /// <summary>Whether a Content-Type value (parameters allowed) is in CloudFront's list.</summary>
    public static bool IsCompressibleType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return false;
        }

        var semi = contentType.IndexOf(';');
        var mediaType = (semi < 0 ? contentType : contentType[..semi]).Trim();
        return CompressibleTypes.Contains(mediaType);
    }

    /// <summary>The Content-Encoding token of a coding ("br", "gzip"), null for identity.</summary>
    public static string? Token(ContentCoding coding) => coding switch
    {
        ContentCoding.Brotli => "br",
        ContentCoding.Gzip => "gzip",
        _ => null,
    };

    /// <summary>
    /// A write stream that compresses into <paramref name="destination"/> (dispose it to flush the final block).
    /// Brotli quality 5 / window 22 and gzip level 6: a CDN's usual speed/ratio balance for on-the-fly compression.
    /// </summary>
    public static Stream CreateCompressor(ContentCoding coding, Stream destination, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return coding switch
        {
            ContentCoding.Brotli => new BrotliStream(destination, new BrotliCompressionOptions { Quality = 5 }, leaveOpen),
            ContentCoding.Gzip => new GZipStream(destination, new ZLibCompressionOptions { CompressionLevel = 6 }, leaveOpen),
            _ => throw new ArgumentOutOfRangeException(nameof(coding), coding, "identity needs no compressor"),
        };
    }

    /// <summary>Copies <paramref name="source"/> compressed into <paramref name="destination"/> (left open).</summary>
    public static async Task CompressAsync(ContentCoding coding, Stream source, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var compressor = CreateCompressor(coding, destination, leaveOpen: true);
        await using (compressor.ConfigureAwait(false))
        {
            await source.CopyToAsync(compressor, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Turns the origin's headers into the compressed variant's: Content-Encoding, Vary: Accept-Encoding (merged), no
    /// Content-Length, CloudFront's ETag conversion.
    /// </summary>
    public static void ApplyCompressedHeaders(IHeaderDictionary headers, ContentCoding coding)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var token = Token(coding) ?? throw new ArgumentOutOfRangeException(nameof(coding), coding, "identity is not a compressed variant");
        headers.ContentEncoding = token;
        headers.ContentLength = null;
        AddVaryAcceptEncoding(headers);

        var etag = headers.ETag.ToString();
        if (etag.Length > 0)
        {
            if (etag.StartsWith('"'))
            {
                headers.ETag = "W/" + etag;
            }
            else if (!etag.StartsWith("W/", StringComparison.Ordinal))
            {
                headers.Remove(HeaderNames.ETag);
            }
        }
    }

    /// <summary>Adds Accept-Encoding to Vary unless already listed (or Vary is "*").</summary>
    public static void AddVaryAcceptEncoding(IHeaderDictionary headers)
    {
        var existing = headers.Vary.ToString();
        var items = existing.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Any(v => v == "*" || v.Equals(HeaderNames.AcceptEncoding, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        headers.Vary = existing.Length == 0 ? HeaderNames.AcceptEncoding : $"{existing}, {HeaderNames.AcceptEncoding}";
    }
}
