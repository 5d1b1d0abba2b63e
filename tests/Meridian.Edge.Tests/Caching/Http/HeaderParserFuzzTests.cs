using Meridian.Edge.Caching;
using Meridian.Topology.Model;
using Microsoft.AspNetCore.Http;

namespace Meridian.Edge.Tests.Caching.Http;

/// <summary>
/// Bounded fuzz of the edge's header parsers (Cache-Control, HTTP dates, Accept-Encoding, query strings, cookies,
/// validators, TTL rules) with mutated real-world values: no exception, and the TTL invariants hold for any input.
/// A crashing input found here is kept as an <see cref="InlineDataAttribute"/> case of <see cref="Regression_KnownInputs_DoNotThrow"/>.
/// </summary>
public sealed class HeaderParserFuzzTests
{
    private static readonly string[] Seeds =
    [
        "public, max-age=60", "s-maxage=10, max-age=5", "no-cache=\"Set-Cookie\", private", "max-age=\"30\"", "max-age=99999999999999999999",
        "stale-while-revalidate=30, stale-if-error=86400", "no-store", "max-age=-1", "must-revalidate,proxy-revalidate",
        "Thu, 01 Jan 2026 00:00:00 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "0", "-1",
        "gzip, deflate, br", "br;q=0, gzip;q=0.5", "gzip;q=1.0e-3", "*;q=0", "x-gzip;q=NaN", "br;q=Infinity",
        "a=1&b=2&a=3", "%zz=1&%41=2&&=", "session=abc; theme=dark", "=; ;a", "W/\"etag\", \"other\"", "*", "\"unterminated",
    ];

    private const string Alphabet = "=;,\"'\\ \t-+.0123456789aAzZ%&*?/:()\u00e9\u0000\r\nqWGMT";

    [Fact]
    public void Parsers_MutatedInputs_NeverThrowAndTtlStaysInBounds()
    {
        var random = new Random(4242);
        var behavior = new CacheBehaviorConfig
        {
            PathPattern = "*",
            Target = "o",
            Ttl = new TtlConfig(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(600)),
            CacheKey = new CacheKeyConfig(KeyListPolicy.All, [], ["x-device"], KeyListPolicy.AllExcept, ["tracking"]),
        };
        var builder = new CacheKeyBuilder(behavior.CacheKey);
        var now = DateTimeOffset.Parse("2026-11-26T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 20_000; i++)
        {
            var a = Mutate(random);
            var b = Mutate(random);
            var c = Mutate(random);

            _ = ResponseCacheControl.Parse(a);
            _ = HttpDates.Parse(b);
            _ = CacheKeyBuilder.NormalizeAcceptEncoding(c);

            var request = new HeaderDictionary { ["Accept-Encoding"] = c, ["Cookie"] = a, ["X-Device"] = b, ["If-None-Match"] = c, ["If-Modified-Since"] = b };
            var key = builder.Build("GET", "site", "/p", "?" + b, request);
            Assert.False(string.IsNullOrEmpty(key.Key));

            var response = new HeaderDictionary { ["Cache-Control"] = a, ["Expires"] = b, ["Date"] = c, ["Age"] = c, ["ETag"] = c, ["Last-Modified"] = b };
            var status = random.Next(2) == 0 ? 200 : 404;
            var decision = TtlCalculator.Decide(behavior, "GET", status, response, now);
            if (decision.Store)
            {
                // Successes: within the behaviour's min/max TTL. Errors (CloudFront): the greater of the origin's
                // max-age and the error caching minimum TTL (10 s for 404 by default), whatever the behaviour's TTLs.
                var inBounds = status == 200
                    ? decision.Ttl >= TimeSpan.FromSeconds(5) && decision.Ttl <= TimeSpan.FromSeconds(600)
                    : decision.Ttl >= TimeSpan.FromSeconds(10);
                Assert.True(inBounds, $"{decision} for {status}, Cache-Control [{a}] Expires [{b}] Date/Age [{c}]");
                Assert.True(decision.StaleWhileRevalidate >= TimeSpan.Zero && decision.StaleIfError >= TimeSpan.Zero, decision.Reason);
            }

            _ = Revalidation.IsNotModified("GET", request, 200, response);
            _ = TtlCalculator.Age(response);
        }
    }

    [Theory]
    [InlineData("max-age=99999999999999999999")]
    [InlineData("gzip;q=1.0e-3")]
    [InlineData("%zz=1&%41=2&&=")]
    [InlineData("\"unterminated")]
    public void Regression_KnownInputs_DoNotThrow(string value)
    {
        _ = ResponseCacheControl.Parse(value);
        _ = HttpDates.Parse(value);
        _ = CacheKeyBuilder.NormalizeAcceptEncoding(value);
        _ = new CacheKeyBuilder(new CacheKeyConfig(KeyListPolicy.All, [], [], KeyListPolicy.All, [])).Build("GET", "d", "/", value, new HeaderDictionary { ["Cookie"] = value });
    }

    private static string Mutate(Random random)
    {
        var chars = Seeds[random.Next(Seeds.Length)].ToCharArray().ToList();
        var edits = random.Next(0, 6);
        for (var e = 0; e < edits; e++)
        {
            var at = chars.Count == 0 ? 0 : random.Next(chars.Count);
            switch (random.Next(4))
            {
                case 0 when chars.Count > 0:
                    chars.RemoveAt(at);
                    break;
                case 1:
                    chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 2 when chars.Count > 0:
                    chars[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                default:
                    chars.InsertRange(at, Seeds[random.Next(Seeds.Length)]);
                    break;
            }
        }

        return new string([.. chars]);
    }
}
