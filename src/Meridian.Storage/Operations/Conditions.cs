using System.Globalization;
using Meridian.Storage.Errors;
using Meridian.Storage.Http;
using Meridian.Storage.Store;

namespace Meridian.Storage.Operations;

/// <summary>
/// RFC 7232 preconditions as S3 applies them: If-Match / If-Unmodified-Since fail with 412, If-None-Match /
/// If-Modified-Since with 304 (GET, HEAD); If-Match wins over If-Unmodified-Since and If-None-Match over
/// If-Modified-Since. Dates compare at one-second resolution (HTTP dates have no fraction).
/// </summary>
internal static class Conditions
{
    public static void CheckRead(S3Request request, ObjectVersion version) =>
        Check(request, version, "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", notModified: S3Errors.NotModified);

    /// <summary>x-amz-copy-source-if-*: every failure is 412 for a copy.</summary>
    public static void CheckCopySource(S3Request request, ObjectVersion version) =>
        Check(request, version, "x-amz-copy-source-if-match", "x-amz-copy-source-if-none-match",
            "x-amz-copy-source-if-modified-since", "x-amz-copy-source-if-unmodified-since", notModified: S3Errors.PreconditionFailed);

    public static bool EtagMatches(string header, string etag) =>
        header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(candidate => candidate == "*" || candidate.Trim('"') == etag || candidate.StartsWith("W/", StringComparison.Ordinal) && candidate[2..].Trim('"') == etag);

    private static void Check(S3Request request, ObjectVersion version, string ifMatch, string ifNoneMatch, string ifModifiedSince,
        string ifUnmodifiedSince, Func<S3Exception> notModified)
    {
        var lastModified = Seconds(version.LastModified);
        var match = request.Header(ifMatch);
        if (match is not null && !EtagMatches(match, version.ETag))
        {
            throw S3Errors.PreconditionFailed();
        }
        if (match is null && ParseDate(request.Header(ifUnmodifiedSince)) is { } unmodifiedSince && lastModified > unmodifiedSince)
        {
            throw S3Errors.PreconditionFailed();
        }
        var noneMatch = request.Header(ifNoneMatch);
        if (noneMatch is not null && EtagMatches(noneMatch, version.ETag))
        {
            throw WithEtag(notModified(), version);
        }
        if (noneMatch is null && ParseDate(request.Header(ifModifiedSince)) is { } modifiedSince && lastModified <= modifiedSince)
        {
            throw WithEtag(notModified(), version);
        }
    }

    private static S3Exception WithEtag(S3Exception error, ObjectVersion version) =>
        error.Status == 304 ? error.With("ETag", S3Xml.Quote(version.ETag)).With("Last-Modified", version.LastModified.ToString("R", CultureInfo.InvariantCulture)) : error;

    private static DateTimeOffset Seconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    /// <summary>An unparseable date is ignored, as HTTP says.</summary>
    private static DateTimeOffset? ParseDate(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : null;
}
