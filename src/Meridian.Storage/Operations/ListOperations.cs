using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Meridian.Storage.Errors;
using Meridian.Storage.Http;
using Meridian.Storage.Store;

namespace Meridian.Storage.Operations;

/// <summary>ListObjectsV2, ListObjects (V1) and ListObjectVersions over a bucket's sorted index.</summary>
internal sealed class ListOperations(StoreContext store)
{
    private const int MaxKeys = 1000;

    public Task ListObjectsAsync(S3Request request, bool v2)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        var prefix = request.QueryValue("prefix") ?? "";
        var delimiter = request.QueryValue("delimiter") ?? "";
        var maxKeys = MaxKeysOf(request);
        var urlEncode = EncodingType(request);
        string after;
        if (v2)
        {
            var token = request.QueryValue("continuation-token");
            after = token is not null ? DecodeToken(token) : request.QueryValue("start-after") ?? "";
        }
        else
        {
            after = request.QueryValue("marker") ?? "";
        }
        var contents = new List<XElement>();
        var prefixes = new List<string>();
        string? last = null;
        var truncated = false;
        var fetchOwner = !v2 || request.QueryValue("fetch-owner") == "true";
        Walk(bucket, prefix, delimiter, after, (key, versions) =>
        {
            var latest = versions[0];
            if (latest.IsDeleteMarker)
            {
                return WalkStep.Skip;
            }
            if (contents.Count + prefixes.Count >= maxKeys)
            {
                truncated = true;
                return WalkStep.Stop;
            }
            contents.Add(S3Xml.E("Contents",
                S3Xml.E("Key", Enc(key, urlEncode)),
                S3Xml.E("LastModified", S3Xml.Date(latest.LastModified)),
                S3Xml.E("ETag", S3Xml.Quote(latest.ETag)),
                S3Xml.E("Size", latest.Size.ToString(CultureInfo.InvariantCulture)),
                fetchOwner ? BucketOperations.Owner(request) : null,
                S3Xml.E("StorageClass", "STANDARD")));
            last = key;
            return WalkStep.Next;
        }, commonPrefix =>
        {
            if (contents.Count + prefixes.Count >= maxKeys)
            {
                truncated = true;
                return WalkStep.Stop;
            }
            prefixes.Add(commonPrefix);
            last = commonPrefix;
            return WalkStep.Next;
        });
        var root = S3Xml.E("ListBucketResult",
            S3Xml.E("Name", bucket.Name),
            S3Xml.E("Prefix", Enc(prefix, urlEncode)),
            delimiter.Length > 0 ? S3Xml.E("Delimiter", Enc(delimiter, urlEncode)) : null,
            S3Xml.E("MaxKeys", maxKeys.ToString(CultureInfo.InvariantCulture)),
            urlEncode ? S3Xml.E("EncodingType", "url") : null,
            S3Xml.E("IsTruncated", truncated ? "true" : "false"),
            v2 ? S3Xml.E("KeyCount", (contents.Count + prefixes.Count).ToString(CultureInfo.InvariantCulture)) : null,
            v2 && request.QueryValue("continuation-token") is { } ct ? S3Xml.E("ContinuationToken", ct) : null,
            v2 && truncated && last is not null ? S3Xml.E("NextContinuationToken", EncodeToken(last)) : null,
            v2 && request.QueryValue("start-after") is { } sa ? S3Xml.E("StartAfter", Enc(sa, urlEncode)) : null,
            !v2 ? S3Xml.E("Marker", Enc(after, urlEncode)) : null,
            !v2 && truncated && last is not null ? S3Xml.E("NextMarker", Enc(last, urlEncode)) : null,
            contents,
            prefixes.Select(p => S3Xml.E("CommonPrefixes", S3Xml.E("Prefix", Enc(p, urlEncode)))));
        return S3Xml.WriteAsync(request.Http, root);
    }

    public Task ListObjectVersionsAsync(S3Request request)
    {
        var bucket = store.Files.GetBucket(request.Bucket!);
        var prefix = request.QueryValue("prefix") ?? "";
        var delimiter = request.QueryValue("delimiter") ?? "";
        var maxKeys = MaxKeysOf(request);
        var urlEncode = EncodingType(request);
        var keyMarker = request.QueryValue("key-marker") ?? "";
        var versionMarker = request.QueryValue("version-id-marker");
        var entries = new List<XElement>();
        var prefixes = new List<string>();
        var truncated = false;
        string? nextKey = null, nextVersion = null;
        // With a version marker the marker's key still has older versions to list, so the walk starts before it.
        Walk(bucket, prefix, delimiter, versionMarker is null ? keyMarker : "", (key, versions) =>
        {
            var skipping = versionMarker is not null && key == keyMarker;
            if (string.CompareOrdinal(key, keyMarker) < 0 || (key == keyMarker && versionMarker is null))
            {
                return WalkStep.Skip;
            }
            for (var i = 0; i < versions.Count; i++)
            {
                var v = versions[i];
                if (skipping)
                {
                    skipping = v.VersionId != versionMarker;
                    continue;
                }
                if (entries.Count + prefixes.Count >= maxKeys)
                {
                    truncated = true;
                    return WalkStep.Stop;
                }
                entries.Add(S3Xml.E(v.IsDeleteMarker ? "DeleteMarker" : "Version",
                    S3Xml.E("Key", Enc(key, urlEncode)),
                    S3Xml.E("VersionId", v.VersionId),
                    S3Xml.E("IsLatest", i == 0 ? "true" : "false"),
                    S3Xml.E("LastModified", S3Xml.Date(v.LastModified)),
                    v.IsDeleteMarker ? null : S3Xml.E("ETag", S3Xml.Quote(v.ETag)),
                    v.IsDeleteMarker ? null : S3Xml.E("Size", v.Size.ToString(CultureInfo.InvariantCulture)),
                    v.IsDeleteMarker ? null : S3Xml.E("StorageClass", "STANDARD"),
                    BucketOperations.Owner(request)));
                nextKey = key;
                nextVersion = v.VersionId;
            }
            return WalkStep.Next;
        }, commonPrefix =>
        {
            if (string.CompareOrdinal(commonPrefix, keyMarker) <= 0)
            {
                return WalkStep.Next;
            }
            if (entries.Count + prefixes.Count >= maxKeys)
            {
                truncated = true;
                return WalkStep.Stop;
            }
            prefixes.Add(commonPrefix);
            nextKey = commonPrefix;
            nextVersion = null;
            return WalkStep.Next;
        });
        var root = S3Xml.E("ListVersionsResult",
            S3Xml.E("Name", bucket.Name),
            S3Xml.E("Prefix", Enc(prefix, urlEncode)),
            S3Xml.E("KeyMarker", Enc(keyMarker, urlEncode)),
            S3Xml.E("VersionIdMarker", versionMarker ?? ""),
            truncated && nextKey is not null ? S3Xml.E("NextKeyMarker", Enc(nextKey, urlEncode)) : null,
            truncated && nextVersion is not null ? S3Xml.E("NextVersionIdMarker", nextVersion) : null,
            delimiter.Length > 0 ? S3Xml.E("Delimiter", Enc(delimiter, urlEncode)) : null,
            S3Xml.E("MaxKeys", maxKeys.ToString(CultureInfo.InvariantCulture)),
            urlEncode ? S3Xml.E("EncodingType", "url") : null,
            S3Xml.E("IsTruncated", truncated ? "true" : "false"),
            entries,
            prefixes.Select(p => S3Xml.E("CommonPrefixes", S3Xml.E("Prefix", Enc(p, urlEncode)))));
        return S3Xml.WriteAsync(request.Http, root);
    }

    private enum WalkStep
    {
        Next,
        Skip,
        Stop,
    }

    /// <summary>
    /// Visits keys after <paramref name="after"/> under <paramref name="prefix"/> in order, folding keys that have the
    /// delimiter after the prefix into common prefixes (each reported once, and not again when it is at or before
    /// <paramref name="after"/>, which is how a continuation resumes past a prefix).
    /// </summary>
    private static void Walk(Bucket bucket, string prefix, string delimiter, string after,
        Func<string, IReadOnlyList<ObjectVersion>, WalkStep> onKey, Func<string, WalkStep> onPrefix)
    {
        var from = string.CompareOrdinal(prefix, after) > 0 ? prefix : after;
        string? lastPrefix = null;
        bucket.Visit(from, (key, versions) =>
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return string.CompareOrdinal(key, prefix) < 0; // before the prefix range: keep going; past it: done
            }
            if (after.Length > 0 && string.CompareOrdinal(key, after) <= 0)
            {
                return true;
            }
            if (delimiter.Length > 0)
            {
                var at = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                if (at >= 0)
                {
                    var common = key[..(at + delimiter.Length)];
                    if (common == lastPrefix || (after.Length > 0 && string.CompareOrdinal(common, after) <= 0 && !after.StartsWith(common, StringComparison.Ordinal)))
                    {
                        return true;
                    }
                    if (after.StartsWith(common, StringComparison.Ordinal) && after.Length > 0)
                    {
                        return true; // resumed inside or at a prefix already reported
                    }
                    lastPrefix = common;
                    return onPrefix(common) != WalkStep.Stop;
                }
            }
            return onKey(key, versions) != WalkStep.Stop;
        });
    }

    private static int MaxKeysOf(S3Request request)
    {
        if (request.QueryValue("max-keys") is not { } text)
        {
            return MaxKeys;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            throw S3Errors.InvalidArgument("Provided max-keys not an integer or within integer range");
        }
        return Math.Min(n, MaxKeys);
    }

    private static bool EncodingType(S3Request request) => request.QueryValue("encoding-type") switch
    {
        null => false,
        "url" => true,
        _ => throw S3Errors.InvalidArgument("Invalid Encoding Method specified in Request"),
    };

    private static string Enc(string value, bool urlEncode) => urlEncode ? UriEncoding.Encode(value, keepSlash: true) : value;

    private static string EncodeToken(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key));

    private static string DecodeToken(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw S3Errors.InvalidArgument("The continuation token provided is incorrect");
        }
    }
}
