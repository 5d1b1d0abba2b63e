using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Meridian.Storage.Tests.Support;

/// <summary>
/// A small independent SigV4 signer for hand-made requests (the SDK and CLI cover the common shapes; these cover
/// the payload formats and the broken requests they never send).
/// </summary>
internal sealed class TestSigner(string accessKey = TestStore.AccessKey, string secretKey = TestStore.SecretKey, string region = TestStore.Region)
{
    public const string EmptySha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public sealed record Signed(string AmzDate, string Scope, byte[] Key, string Signature);

    /// <summary>Signs <paramref name="request"/> (path and query already encoded the SigV4 way) and returns the chain seed.</summary>
    public Signed Sign(HttpRequestMessage request, string payloadHash, DateTimeOffset when)
    {
        var amzDate = when.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        var uri = request.RequestUri!;
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = uri.Authority,
            ["x-amz-date"] = amzDate,
            ["x-amz-content-sha256"] = payloadHash,
        };
        foreach (var h in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            var name = h.Key.ToLowerInvariant();
            if (name.StartsWith("x-amz-", StringComparison.Ordinal) || name is "content-md5" or "content-encoding")
            {
                headers[name] = string.Join(",", h.Value).Trim();
            }
        }
        var query = string.Join('&', uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Contains('=') ? p : p + "=").OrderBy(p => p, StringComparer.Ordinal));
        var canonical = $"{request.Method.Method}\n{uri.AbsolutePath}\n{query}\n" +
            string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n")) + "\n" + string.Join(';', headers.Keys) + "\n" + payloadHash;
        var scope = $"{date}/{region}/s3/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date), region), "s3"), "aws4_request");
        var signature = Hex(Hmac(key, stringToSign));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={string.Join(';', headers.Keys)}, Signature={signature}");
        return new Signed(amzDate, scope, key, signature);
    }

    /// <summary>An aws-chunked body; signed chunks when <paramref name="seed"/> is given, then optional trailers (signed too).</summary>
    public static byte[] Chunked(byte[] data, int chunkSize, Signed? seed, IReadOnlyList<(string Name, string Value)>? trailers = null)
    {
        var body = new MemoryStream();
        var previous = seed?.Signature;
        void Write(string s) => body.Write(Encoding.ASCII.GetBytes(s));
        for (var offset = 0; ; offset += chunkSize)
        {
            var chunk = offset >= data.Length ? [] : data.AsSpan(offset, Math.Min(chunkSize, data.Length - offset)).ToArray();
            var header = chunk.Length.ToString("x", CultureInfo.InvariantCulture);
            if (seed is not null)
            {
                var toSign = $"AWS4-HMAC-SHA256-PAYLOAD\n{seed.AmzDate}\n{seed.Scope}\n{previous}\n{EmptySha}\n{Hex(SHA256.HashData(chunk))}";
                previous = Hex(Hmac(seed.Key, toSign));
                header += ";chunk-signature=" + previous;
            }
            Write(header + "\r\n");
            body.Write(chunk);
            if (chunk.Length == 0)
            {
                break;
            }
            Write("\r\n");
        }
        if (trailers is not null)
        {
            var canonical = string.Concat(trailers.Select(t => $"{t.Name}:{t.Value}\n"));
            foreach (var (name, value) in trailers)
            {
                Write($"{name}:{value}\r\n");
            }
            if (seed is not null)
            {
                var toSign = $"AWS4-HMAC-SHA256-TRAILER\n{seed.AmzDate}\n{seed.Scope}\n{previous}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
                Write($"x-amz-trailer-signature:{Hex(Hmac(seed.Key, toSign))}\r\n");
            }
        }
        Write("\r\n");
        return body.ToArray();
    }

    public static string Sha256Hex(byte[] data) => Hex(SHA256.HashData(data));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
