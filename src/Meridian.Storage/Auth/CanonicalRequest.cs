using System.Text;
using Meridian.Storage.Http;

namespace Meridian.Storage.Auth;

/// <summary>SigV4's canonical request for S3 (path encoded once, not normalized).</summary>
internal static class CanonicalRequest
{
    public static string Build(S3Request request, string canonicalPath, IReadOnlyList<string> signedHeaders, string payloadHash, bool excludeSignature)
    {
        var builder = new StringBuilder(512);
        builder.Append(request.Method).Append('\n');
        builder.Append(canonicalPath).Append('\n');
        builder.Append(CanonicalQuery(request, excludeSignature)).Append('\n');
        foreach (var name in signedHeaders)
        {
            builder.Append(name).Append(':').Append(HeaderValue(request, name)).Append('\n');
        }
        builder.Append('\n');
        builder.Append(string.Join(';', signedHeaders)).Append('\n');
        builder.Append(payloadHash);
        return builder.ToString();
    }

    /// <summary>The decoded path encoded the SigV4 way; clients that encode differently are tried with the raw path too.</summary>
    public static string NormalizedPath(S3Request request) => UriEncoding.Encode(request.Path, keepSlash: true);

    private static string CanonicalQuery(S3Request request, bool excludeSignature)
    {
        var pairs = request.QueryPairs
            .Where(p => !(excludeSignature && p.Key == "X-Amz-Signature"))
            .Select(p => (Name: UriEncoding.Encode(p.Key, keepSlash: false), Value: UriEncoding.Encode(p.Value, keepSlash: false)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => p.Name + "=" + p.Value));
    }

    /// <summary>Values trimmed, inner runs of spaces collapsed, repeated headers joined with ','.</summary>
    private static string HeaderValue(S3Request request, string name)
    {
        if (name == "host")
        {
            return request.Http.Request.Host.Value ?? "";
        }
        if (!request.Http.Request.Headers.TryGetValue(name, out var values))
        {
            return "";
        }
        return string.Join(',', values.Select(v => CollapseSpaces((v ?? "").Trim())));
    }

    private static string CollapseSpaces(string value)
    {
        if (!value.Contains("  ", StringComparison.Ordinal))
        {
            return value;
        }
        var builder = new StringBuilder(value.Length);
        var previousSpace = false;
        foreach (var c in value)
        {
            if (c == ' ' && previousSpace)
            {
                continue;
            }
            previousSpace = c == ' ';
            builder.Append(c);
        }
        return builder.ToString();
    }
}
