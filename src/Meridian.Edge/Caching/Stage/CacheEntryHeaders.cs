using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Meridian.Edge.Caching;

/// <summary>Conversions between response headers and what a cache entry stores.</summary>
internal static class CacheEntryHeaders
{
    /// <summary>Hop-by-hop and per-response headers a cache entry never keeps.</summary>
    private static readonly HashSet<string> NotStored = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Connection, HeaderNames.KeepAlive, HeaderNames.TransferEncoding, HeaderNames.ContentLength,
        HeaderNames.Upgrade, HeaderNames.ProxyAuthenticate, HeaderNames.Trailer, HeaderNames.Age, HeaderNames.SetCookie,
        "X-Edge-Location", "X-Edge-Origin", "X-Cache", CacheStage.StaleHeader,
    };

    internal static HeaderDictionary ToDictionary(ImmutableArray<KeyValuePair<string, string>> headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary.Append(name, value);
        }

        return dictionary;
    }

    internal static ImmutableArray<KeyValuePair<string, string>> ToStored(IHeaderDictionary headers)
    {
        var builder = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        foreach (var (name, values) in headers)
        {
            if (NotStored.Contains(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                builder.Add(new KeyValuePair<string, string>(name, value ?? ""));
            }
        }

        return builder.ToImmutable();
    }

    internal static CacheEntryMetadata Metadata(IHeaderDictionary headers, CacheDecision decision, DateTimeOffset now)
    {
        var storedAt = now - TtlCalculator.Age(headers);
        var etag = headers.ETag.ToString();
        return new CacheEntryMetadata(storedAt, now + decision.Ttl, decision.StaleWhileRevalidate, decision.StaleIfError,
            etag.Length == 0 ? null : etag, HttpDates.Parse(headers.LastModified));
    }
}
