using Meridian.Edge.Caching;
using Meridian.Topology.Model;
using Microsoft.AspNetCore.Http;

namespace Meridian.Edge.Tests.Caching.Http;

public sealed class TtlCalculatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static CacheBehaviorConfig Behavior(int min = 0, int @default = 86400, int max = 31536000) => new()
    {
        PathPattern = "*",
        Target = "o",
        Ttl = new TtlConfig(TimeSpan.FromSeconds(min), TimeSpan.FromSeconds(@default), TimeSpan.FromSeconds(max)),
    };

    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var result = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            result.Append(name, value);
        }

        return result;
    }

    private static CacheDecision Decide(CacheBehaviorConfig behavior, int status, HeaderDictionary headers, string method = "GET",
        IReadOnlyDictionary<int, TimeSpan>? errors = null) =>
        TtlCalculator.Decide(behavior, method, status, headers, Now, errors);

    [Fact]
    public void Decide_NoCachingHeaders_UsesDefaultTtl()
    {
        var d = Decide(Behavior(@default: 600), 200, Headers());
        Assert.True(d.Store);
        Assert.Equal(TimeSpan.FromSeconds(600), d.Ttl);
        Assert.Contains("default TTL", d.Reason);
    }

    [Fact]
    public void Decide_NoCachingHeadersMinAboveDefault_UsesMinTtl()
    {
        var d = Decide(Behavior(min: 900, @default: 600), 200, Headers());
        Assert.Equal(TimeSpan.FromSeconds(900), d.Ttl);
    }

    [Fact]
    public void Decide_NoCachingHeadersDefaultAboveMax_DefaultNotCappedByMax()
    {
        // CloudFront uses the maximum TTL only when the origin sends Cache-Control or Expires.
        var d = Decide(Behavior(@default: 7200, max: 3600), 200, Headers());
        Assert.Equal(TimeSpan.FromSeconds(7200), d.Ttl);
    }

    [Fact]
    public void Decide_CacheControlWithoutLifetimeDirectives_UsesDefaultTtl()
    {
        var d = Decide(Behavior(@default: 600), 200, Headers(("Cache-Control", "public")));
        Assert.Equal(TimeSpan.FromSeconds(600), d.Ttl);
    }

    [Fact]
    public void Decide_MaxAge_UsesMaxAge()
    {
        var d = Decide(Behavior(), 200, Headers(("Cache-Control", "max-age=120")));
        Assert.True(d.Store);
        Assert.Equal(TimeSpan.FromSeconds(120), d.Ttl);
        Assert.Equal("max-age", d.Reason);
    }

    [Fact]
    public void Decide_SMaxAgeAndMaxAge_SMaxAgeWins()
    {
        var d = Decide(Behavior(), 200, Headers(("Cache-Control", "max-age=60, s-maxage=300")));
        Assert.Equal(TimeSpan.FromSeconds(300), d.Ttl);
        Assert.Equal("s-maxage", d.Reason);
    }

    [Fact]
    public void Decide_MaxAgeAndExpires_MaxAgeWins()
    {
        var d = Decide(Behavior(), 200, Headers(("Cache-Control", "max-age=60"), ("Expires", HttpDates.Format(Now.AddHours(5)))));
        Assert.Equal(TimeSpan.FromSeconds(60), d.Ttl);
    }

    [Fact]
    public void Decide_ExpiresOnly_UsesExpiresMinusNow()
    {
        var d = Decide(Behavior(), 200, Headers(("Expires", HttpDates.Format(Now.AddMinutes(30)))));
        Assert.Equal(TimeSpan.FromMinutes(30), d.Ttl);
        Assert.Equal("Expires", d.Reason);
    }

    [Fact]
    public void Decide_ExpiresInThePast_TtlZeroNotStoredWithoutValidator()
    {
        var d = Decide(Behavior(), 200, Headers(("Expires", HttpDates.Format(Now.AddMinutes(-30)))));
        Assert.False(d.Store);
        Assert.Equal(TimeSpan.Zero, d.Ttl);
    }

    [Fact]
    public void Decide_ExpiresInThePastWithETag_StoredWithTtlZeroForRevalidation()
    {
        var d = Decide(Behavior(), 200, Headers(("Expires", HttpDates.Format(Now.AddMinutes(-30))), ("ETag", "\"v1\"")));
        Assert.True(d.Store);
        Assert.Equal(TimeSpan.Zero, d.Ttl);
    }

    [Fact]
    public void Decide_ExpiresInThePastWithMinTtl_FlooredToMin()
    {
        var d = Decide(Behavior(min: 60), 200, Headers(("Expires", HttpDates.Format(Now.AddMinutes(-30)))));
        Assert.True(d.Store);
        Assert.Equal(TimeSpan.FromSeconds(60), d.Ttl);
    }

    [Fact]
    public void Decide_ExpiresInvalid_TreatedAsExpired()
    {
        var d = Decide(Behavior(min: 5), 200, Headers(("Expires", "0")));
        Assert.Equal(TimeSpan.FromSeconds(5), d.Ttl);
    }

    [Fact]
    public void Decide_MaxAgeAboveMaxTtl_CappedByMax()
    {
        var d = Decide(Behavior(max: 300), 200, Headers(("Cache-Control", "max-age=3600")));
        Assert.Equal(TimeSpan.FromSeconds(300), d.Ttl);
        Assert.Contains("capped by maximum TTL", d.Reason);
    }

    [Fact]
    public void Decide_SMaxAgeAboveMaxTtl_CappedByMax()
    {
        var d = Decide(Behavior(max: 300), 200, Headers(("Cache-Control", "s-maxage=3600")));
        Assert.Equal(TimeSpan.FromSeconds(300), d.Ttl);
    }

    [Fact]
    public void Decide_ExpiresBeyondMaxTtl_CappedByMax()
    {
        var d = Decide(Behavior(max: 300), 200, Headers(("Expires", HttpDates.Format(Now.AddDays(1)))));
        Assert.Equal(TimeSpan.FromSeconds(300), d.Ttl);
    }

    [Fact]
    public void Decide_MaxAgeBelowMinTtl_FlooredByMin()
    {
        var d = Decide(Behavior(min: 600), 200, Headers(("Cache-Control", "max-age=60")));
        Assert.Equal(TimeSpan.FromSeconds(600), d.Ttl);
        Assert.Contains("floored by minimum TTL", d.Reason);
    }

    [Fact]
    public void Decide_MaxAgeBetweenMinAndMax_UsesMaxAge()
    {
        var d = Decide(Behavior(min: 60, max: 600), 200, Headers(("Cache-Control", "max-age=300")));
        Assert.Equal(TimeSpan.FromSeconds(300), d.Ttl);
    }

    [Fact]
    public void Decide_MaxAgeZeroMinZeroNoValidator_NotStored()
    {
        var d = Decide(Behavior(), 200, Headers(("Cache-Control", "max-age=0")));
        Assert.False(d.Store);
    }

    [Theory]
    [InlineData("no-cache")]
    [InlineData("no-store")]
    [InlineData("max-age=600, no-store")]
    [InlineData("NO-CACHE")]
    public void Decide_NoCacheOrNoStoreAtMinZero_Honoured(string cacheControl)
    {
        var d = Decide(Behavior(), 200, Headers(("Cache-Control", cacheControl)));
        Assert.False(d.Store);
        Assert.Equal(TimeSpan.Zero, d.Ttl);
        Assert.Contains("honoured", d.Reason);
    }

    [Theory]
    [InlineData("no-cache")]
    [InlineData("no-store")]
    public void Decide_NoCacheOrNoStoreAtMinAboveZero_CachedForMinTtl(string cacheControl)
    {
        var d = Decide(Behavior(min: 30), 200, Headers(("Cache-Control", cacheControl)));
        Assert.True(d.Store);
        Assert.Equal(TimeSpan.FromSeconds(30), d.Ttl);
        Assert.Contains("overridden by minimum TTL", d.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    public void Decide_PrivateAtAnyMinTtl_NeverStored(int min)
    {
        // Meridian's rule: a private response is never served to another client (CloudFront would cache it for a min TTL > 0).
        var d = Decide(Behavior(min: min), 200, Headers(("Cache-Control", "private, max-age=600")));
        Assert.False(d.Store);
        Assert.Contains("private", d.Reason);
    }

    [Fact]
    public void Decide_QualifiedPrivate_NotStored()
    {
        var d = Decide(Behavior(), 200, Headers(("Cache-Control", "private=\"Set-Cookie, X-A\", max-age=60")));
        Assert.False(d.Store);
    }

    [Fact]
    public void Decide_SetCookie_NeverStored()
    {
        var d = Decide(Behavior(min: 60), 200, Headers(("Cache-Control", "public, max-age=600"), ("Set-Cookie", "session=abc")));
        Assert.False(d.Store);
        Assert.Contains("Set-Cookie", d.Reason);
    }

    [Fact]
    public void Decide_AgeHeader_SubtractedFromMaxAge()
    {
        var d = Decide(Behavior(), 200, Headers(("Cache-Control", "max-age=600"), ("Age", "100")));
        Assert.Equal(TimeSpan.FromSeconds(500), d.Ttl);
    }

    [Fact]
    public void Decide_AgeBeyondMaxAgeWithMinTtl_FlooredByMin()
    {
        var d = Decide(Behavior(min: 20), 200, Headers(("Cache-Control", "max-age=60"), ("Age", "100")));
        Assert.Equal(TimeSpan.FromSeconds(20), d.Ttl);
    }

    [Fact]
    public void Decide_AgeHeader_DoesNotAffectExpires()
    {
        var d = Decide(Behavior(), 200, Headers(("Expires", HttpDates.Format(Now.AddMinutes(10))), ("Age", "100")));
        Assert.Equal(TimeSpan.FromMinutes(10), d.Ttl);
    }

    [Fact]
    public void Decide_InvalidMaxAge_TreatedAsZero()
    {
        var d = Decide(Behavior(min: 7), 200, Headers(("Cache-Control", "max-age=abc")));
        Assert.Equal(TimeSpan.FromSeconds(7), d.Ttl);
    }

    [Fact]
    public void Decide_DuplicateMaxAge_FirstWins()
    {
        var d = Decide(Behavior(), 200, Headers(("Cache-Control", "max-age=10"), ("Cache-Control", "max-age=20")));
        Assert.Equal(TimeSpan.FromSeconds(10), d.Ttl);
    }

    [Fact]
    public void Decide_Error404WithoutHeaders_ErrorCachingMinTtl10s()
    {
        var d = Decide(Behavior(), 404, Headers());
        Assert.True(d.Store);
        Assert.Equal(TimeSpan.FromSeconds(10), d.Ttl);
        Assert.Contains("error caching minimum TTL", d.Reason);
    }

    [Fact]
    public void Decide_Error503WithLongerMaxAge_OriginMaxAgeWins()
    {
        var d = Decide(Behavior(), 503, Headers(("Cache-Control", "max-age=60")));
        Assert.Equal(TimeSpan.FromSeconds(60), d.Ttl);
    }

    [Fact]
    public void Decide_Error404WithShorterMaxAge_ErrorMinTtlWins()
    {
        var d = Decide(Behavior(), 404, Headers(("Cache-Control", "max-age=2")));
        Assert.Equal(TimeSpan.FromSeconds(10), d.Ttl);
    }

    [Fact]
    public void Decide_ErrorWithConfiguredMinTtl_UsesConfiguredValue()
    {
        var errors = new Dictionary<int, TimeSpan> { [404] = TimeSpan.FromSeconds(300) };
        var d = Decide(Behavior(), 404, Headers(), errors: errors);
        Assert.Equal(TimeSpan.FromSeconds(300), d.Ttl);
    }

    [Fact]
    public void Decide_ErrorConfiguredZero_NotStored()
    {
        var errors = new Dictionary<int, TimeSpan> { [500] = TimeSpan.Zero };
        Assert.False(Decide(Behavior(), 500, Headers(), errors: errors).Store);
    }

    [Fact]
    public void Decide_ErrorNotInErrorCachingList_NotStored()
    {
        Assert.False(Decide(Behavior(), 401, Headers(("Cache-Control", "max-age=60"))).Store);
    }

    [Fact]
    public void Decide_ErrorIgnoresBehaviorMaxTtl_UsesErrorRule()
    {
        var d = Decide(Behavior(max: 1), 404, Headers());
        Assert.Equal(TimeSpan.FromSeconds(10), d.Ttl);
    }

    [Theory]
    [InlineData(206)]
    [InlineData(304)]
    [InlineData(201)]
    [InlineData(410)]
    public void Decide_NonCacheableStatus_NotStored(int status)
    {
        Assert.False(Decide(Behavior(), status, Headers(("Cache-Control", "max-age=60"))).Store);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(204)]
    public void Decide_CacheableNon200Status_Stored(int status)
    {
        Assert.True(Decide(Behavior(), status, Headers(("Cache-Control", "max-age=60"))).Store);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("OPTIONS")]
    public void Decide_MethodNotCached_NotStored(string method)
    {
        Assert.False(Decide(Behavior(), 200, Headers(("Cache-Control", "max-age=60")), method).Store);
    }

    [Fact]
    public void Decide_OptionsWithGetHeadOptionsCached_Stored()
    {
        var behavior = Behavior() with { CachedMethods = CachedMethods.GetHeadOptions };
        Assert.True(Decide(behavior, 200, Headers(("Cache-Control", "max-age=60")), "OPTIONS").Store);
    }

    [Fact]
    public void Decide_HeadRequest_Stored()
    {
        Assert.True(Decide(Behavior(), 200, Headers(("Cache-Control", "max-age=60")), "HEAD").Store);
    }

    [Fact]
    public void Decide_VaryStar_NotStored()
    {
        Assert.False(Decide(Behavior(), 200, Headers(("Cache-Control", "max-age=60"), ("Vary", "*"))).Store);
    }

    [Fact]
    public void Decide_VaryOnHeaderNotInKey_NotStored()
    {
        var d = Decide(Behavior(), 200, Headers(("Cache-Control", "max-age=60"), ("Vary", "Accept-Encoding, User-Agent")));
        Assert.False(d.Store);
        Assert.Contains("User-Agent", d.Reason);
    }

    [Fact]
    public void Decide_VaryOnAcceptEncoding_Stored()
    {
        Assert.True(Decide(Behavior(), 200, Headers(("Cache-Control", "max-age=60"), ("Vary", "accept-encoding"))).Store);
    }

    [Fact]
    public void Decide_VaryOnHeaderInKey_Stored()
    {
        var behavior = Behavior() with { CacheKey = CacheKeyConfig.Default with { Headers = ["Accept-Language"] } };
        Assert.True(Decide(behavior, 200, Headers(("Cache-Control", "max-age=60"), ("Vary", "accept-language"))).Store);
    }

    [Fact]
    public void Decide_VaryCookieWithAllCookiesInKey_Stored()
    {
        var behavior = Behavior() with { CacheKey = CacheKeyConfig.Default with { Cookies = KeyListPolicy.All } };
        Assert.True(Decide(behavior, 200, Headers(("Cache-Control", "max-age=60"), ("Vary", "Cookie"))).Store);
        Assert.False(Decide(Behavior(), 200, Headers(("Cache-Control", "max-age=60"), ("Vary", "Cookie"))).Store);
    }

    [Fact]
    public void Decide_OriginStaleDirectives_Reported()
    {
        var d = Decide(Behavior(), 200, Headers(("Cache-Control", "max-age=60, stale-while-revalidate=30, stale-if-error=600")));
        Assert.Equal(TimeSpan.FromSeconds(30), d.StaleWhileRevalidate);
        Assert.Equal(TimeSpan.FromSeconds(600), d.StaleIfError);
    }

    [Fact]
    public void Decide_BehaviorAndOriginStaleAllowances_LargerWins()
    {
        var behavior = Behavior() with { StaleWhileRevalidate = TimeSpan.FromSeconds(120), StaleIfError = TimeSpan.FromSeconds(60) };
        var d = Decide(behavior, 200, Headers(("Cache-Control", "max-age=60, stale-while-revalidate=30, stale-if-error=600")));
        Assert.Equal(TimeSpan.FromSeconds(120), d.StaleWhileRevalidate);
        Assert.Equal(TimeSpan.FromSeconds(600), d.StaleIfError);
    }

    [Fact]
    public void Decide_MustRevalidate_CancelsBehaviorStaleAllowances()
    {
        var behavior = Behavior() with { StaleWhileRevalidate = TimeSpan.FromSeconds(120), StaleIfError = TimeSpan.FromSeconds(60) };
        var d = Decide(behavior, 200, Headers(("Cache-Control", "max-age=60, must-revalidate")));
        Assert.Equal(TimeSpan.Zero, d.StaleWhileRevalidate);
        Assert.Equal(TimeSpan.Zero, d.StaleIfError);
    }

    [Fact]
    public void Decide_MaxAgeZeroWithStaleIfError_StoredForStaleUse()
    {
        var d = Decide(Behavior(), 200, Headers(("Cache-Control", "max-age=0, stale-if-error=300")));
        Assert.True(d.Store);
        Assert.Equal(TimeSpan.Zero, d.Ttl);
        Assert.Equal(TimeSpan.FromSeconds(300), d.StaleIfError);
    }

    [Fact]
    public void Decide_HugeMaxAge_CappedAt2Pow31ThenMaxTtl()
    {
        var d = Decide(Behavior(), 200, Headers(("Cache-Control", "max-age=99999999999999999999")));
        Assert.Equal(TimeSpan.FromSeconds(31536000), d.Ttl);
    }
}
