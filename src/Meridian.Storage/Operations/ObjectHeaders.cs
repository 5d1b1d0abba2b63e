using System.Globalization;
using Meridian.Storage.Errors;
using Meridian.Storage.Http;
using Meridian.Storage.Store;
using Microsoft.AspNetCore.Http;

namespace Meridian.Storage.Operations;

/// <summary>Object metadata from request headers (Content-Type, x-amz-meta-*, x-amz-tagging) and back onto responses.</summary>
internal static class ObjectHeaders
{
    private const string MetaPrefix = "x-amz-meta-";

    /// <summary>S3 limits user metadata to 2 KB (names and values, UTF-8).</summary>
    private const int MaxUserMetadataBytes = 2048;

    private const int MaxTags = 10, MaxTagKey = 128, MaxTagValue = 256;

    /// <summary>A version draft carrying what the request says about the object (content headers, metadata, tags).</summary>
    public static ObjectVersion Draft(S3Request request, string key)
    {
        var headers = request.Http.Request.Headers;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var bytes = 0;
        foreach (var (name, value) in headers)
        {
            if (name.StartsWith(MetaPrefix, StringComparison.OrdinalIgnoreCase))
            {
                var metaName = name[MetaPrefix.Length..].ToLowerInvariant();
                metadata[metaName] = value.ToString();
                bytes += System.Text.Encoding.UTF8.GetByteCount(metaName) + System.Text.Encoding.UTF8.GetByteCount(value.ToString());
            }
        }
        if (bytes > MaxUserMetadataBytes)
        {
            throw new S3Exception("MetadataTooLarge", 400, "Your metadata headers exceed the maximum allowed metadata size.");
        }
        return new ObjectVersion
        {
            Key = key,
            VersionId = VersionIds.Null,
            Sequence = 0,
            ContentType = request.Header("Content-Type") ?? "binary/octet-stream",
            ContentEncoding = StripAwsChunked(request.Header("Content-Encoding")),
            ContentDisposition = request.Header("Content-Disposition"),
            ContentLanguage = request.Header("Content-Language"),
            CacheControl = request.Header("Cache-Control"),
            Expires = request.Header("Expires"),
            UserMetadata = metadata,
            Tags = request.Header("x-amz-tagging") is { } tagging ? ParseTagQuery(tagging) : new Dictionary<string, string>(StringComparer.Ordinal),
        };
    }

    /// <summary>"aws-chunked" is transport framing, not a property of the object (S3 drops it).</summary>
    private static string? StripAwsChunked(string? encoding)
    {
        if (encoding is null)
        {
            return null;
        }
        var rest = encoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(e => !e.Equals("aws-chunked", StringComparison.OrdinalIgnoreCase)).ToArray();
        return rest.Length == 0 ? null : string.Join(", ", rest);
    }

    /// <summary>x-amz-tagging: "k1=v1&amp;k2=v2", URL-encoded.</summary>
    public static Dictionary<string, string> ParseTagQuery(string text)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var name = Uri.UnescapeDataString((eq < 0 ? part : part[..eq]).Replace('+', ' '));
            var value = eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' '));
            if (!tags.TryAdd(name, value))
            {
                throw S3Errors.InvalidTag("Cannot provide multiple Tags with the same key");
            }
        }
        ValidateTags(tags);
        return tags;
    }

    public static void ValidateTags(IReadOnlyDictionary<string, string> tags)
    {
        if (tags.Count > MaxTags)
        {
            throw S3Errors.InvalidTag("Object tags cannot be greater than 10");
        }
        foreach (var (name, value) in tags)
        {
            if (name.Length is 0 or > MaxTagKey)
            {
                throw S3Errors.InvalidTag("The TagKey you have provided is invalid");
            }
            if (value.Length > MaxTagValue)
            {
                throw S3Errors.InvalidTag("The TagValue you have provided is invalid");
            }
        }
    }

    /// <summary>The headers GET and HEAD return for a version.</summary>
    public static void Write(HttpResponse response, ObjectVersion version, Bucket bucket)
    {
        var headers = response.Headers;
        headers.ETag = S3Xml.Quote(version.ETag);
        headers.LastModified = version.LastModified.ToString("R", CultureInfo.InvariantCulture);
        headers.ContentType = version.ContentType;
        headers.AcceptRanges = "bytes";
        if (version.ContentEncoding is { } encoding)
        {
            headers.ContentEncoding = encoding;
        }
        if (version.ContentDisposition is { } disposition)
        {
            headers.ContentDisposition = disposition;
        }
        if (version.ContentLanguage is { } language)
        {
            headers.ContentLanguage = language;
        }
        if (version.CacheControl is { } cacheControl)
        {
            headers.CacheControl = cacheControl;
        }
        if (version.Expires is { } expires)
        {
            headers.Expires = expires;
        }
        WriteVersionId(response, version, bucket);
        foreach (var (name, value) in version.UserMetadata)
        {
            headers[MetaPrefix + name] = value;
        }
        if (version.Tags.Count > 0)
        {
            headers["x-amz-tagging-count"] = version.Tags.Count.ToString(CultureInfo.InvariantCulture);
        }
        if (version.ReplicationStatus is { } status)
        {
            headers["x-amz-replication-status"] = status;
        }
        if (version.PartCount > 0)
        {
            headers["x-amz-mp-parts-count"] = version.PartCount.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>x-amz-version-id once the bucket has (ever had) versioning, as S3.</summary>
    public static void WriteVersionId(HttpResponse response, ObjectVersion version, Bucket bucket)
    {
        if (bucket.Settings.Versioning != VersioningStatus.Unversioned || version.VersionId != VersionIds.Null)
        {
            response.Headers["x-amz-version-id"] = version.VersionId;
        }
    }
}
