using Meridian.Storage.Auth;
using Meridian.Storage.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Meridian.Storage.Http;

/// <summary>
/// One S3 request as the operations see it: bucket and key from the path (path-style) or the Host (virtual-host
/// style), the decoded query, and who signed it. Parsed from the raw request target so the key is exactly what
/// the client encoded (ASP.NET Core's decoded Path would turn %2F into '/').
/// </summary>
internal sealed class S3Request
{
    /// <summary>S3's key limit: 1024 bytes of UTF-8.</summary>
    public const int MaxKeyBytes = 1024;

    private S3Request(HttpContext http, string rawPath, string rawQuery, List<KeyValuePair<string, string>> query)
    {
        Http = http;
        RawPath = rawPath;
        RawQuery = rawQuery;
        QueryPairs = query;
        Query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in query)
        {
            Query.TryAdd(name, value);
        }
    }

    public HttpContext Http { get; }

    public string Method => Http.Request.Method;

    /// <summary>The path as sent (still percent-encoded).</summary>
    public string RawPath { get; }

    public string RawQuery { get; }

    /// <summary>The decoded path ("/bucket/key").</summary>
    public string Path { get; private set; } = "/";

    public IReadOnlyList<KeyValuePair<string, string>> QueryPairs { get; }

    public Dictionary<string, string> Query { get; }

    public string? Bucket { get; private set; }

    public string? Key { get; private set; }

    public AuthResult Auth { get; set; } = AuthResult.Anonymous;

    public string RequestId { get; } = Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();

    public bool Has(string name) => Query.ContainsKey(name);

    public string? QueryValue(string name) => Query.TryGetValue(name, out var v) ? v : null;

    public string? Header(string name) => Http.Request.Headers.TryGetValue(name, out var v) && v.Count > 0 ? v.ToString() : null;

    public string Resource => Bucket is null ? "/" : Key is null ? $"/{Bucket}" : $"/{Bucket}/{Key}";

    public static S3Request Parse(HttpContext http, string? virtualHostSuffix)
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (http.Request.PathBase + http.Request.Path + http.Request.QueryString);
        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var afterScheme = target.IndexOf("//", StringComparison.Ordinal) + 2;
            var slash = target.IndexOf('/', afterScheme);
            target = slash < 0 ? "/" : target[slash..];
        }
        if (!target.StartsWith('/'))
        {
            throw S3Errors.InvalidUri();
        }
        var q = target.IndexOf('?');
        var rawPath = q < 0 ? target : target[..q];
        var rawQuery = q < 0 ? "" : target[(q + 1)..];
        var request = new S3Request(http, rawPath, rawQuery, ParseQuery(rawQuery));
        request.Path = UriEncoding.Decode(rawPath);
        request.SplitBucketAndKey(virtualHostSuffix);
        return request;
    }

    private static List<KeyValuePair<string, string>> ParseQuery(string rawQuery)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var name = UriEncoding.Decode(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? "" : UriEncoding.Decode(part[(eq + 1)..]);
            pairs.Add(new(name, value));
        }
        return pairs;
    }

    private void SplitBucketAndKey(string? virtualHostSuffix)
    {
        var host = Http.Request.Host.Host;
        string? bucket = null;
        var rest = Path[1..];
        if (virtualHostSuffix is not null && host.EndsWith("." + virtualHostSuffix, StringComparison.OrdinalIgnoreCase))
        {
            bucket = host[..^(virtualHostSuffix.Length + 1)].ToLowerInvariant();
        }
        else
        {
            var slash = rest.IndexOf('/');
            bucket = slash < 0 ? rest : rest[..slash];
            rest = slash < 0 ? "" : rest[(slash + 1)..];
        }
        Bucket = bucket.Length == 0 ? null : bucket;
        if (rest.Length > 0)
        {
            if (System.Text.Encoding.UTF8.GetByteCount(rest) > MaxKeyBytes)
            {
                throw S3Errors.KeyTooLong();
            }
            if (rest.Contains('\0'))
            {
                // Not a path risk (keys are hashed into file names) but never a sane name; S3 tools reject it too.
                throw S3Errors.InvalidArgument("Object keys cannot contain the NUL character");
            }
            Key = rest;
        }
    }
}
