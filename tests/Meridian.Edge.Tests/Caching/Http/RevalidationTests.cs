using Meridian.Edge.Caching;
using Microsoft.AspNetCore.Http;

namespace Meridian.Edge.Tests.Caching.Http;

public sealed class RevalidationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static IHeaderDictionary Stored(string? etag = "\"v1\"", DateTimeOffset? lastModified = null)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        if (etag is not null)
        {
            headers.ETag = etag;
        }

        if (lastModified is { } lm)
        {
            headers.LastModified = HttpDates.Format(lm);
        }

        return headers;
    }

    [Fact]
    public void AddValidators_ETagAndLastModified_BothConditionalsSet()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "http://o/a");
        request.Headers.TryAddWithoutValidation("If-None-Match", "\"viewer\"");
        Assert.True(Revalidation.AddValidators(Stored("\"v1\"", T0), request));
        Assert.Equal("\"v1\"", string.Join(",", request.Headers.GetValues("If-None-Match")));
        Assert.Equal("Thu, 26 Nov 2026 12:00:00 GMT", string.Join(",", request.Headers.GetValues("If-Modified-Since")));
    }

    [Fact]
    public void AddValidators_NoValidator_FalseAndNoConditionals()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "http://o/a");
        Assert.False(Revalidation.AddValidators(Stored(etag: null), request));
        Assert.False(request.Headers.Contains("If-None-Match"));
        Assert.False(request.Headers.Contains("If-Modified-Since"));
    }

    [Fact]
    public void Validators_InvalidETag_Ignored()
    {
        Assert.Null(Revalidation.Validators(Stored("abc")).IfNoneMatch);
        Assert.Equal("W/\"x\"", Revalidation.Validators(Stored("W/\"x\"")).IfNoneMatch);
    }

    [Theory]
    [InlineData("\"v1\"", true)]
    [InlineData("W/\"v1\"", true)]
    [InlineData("\"v0\", \"v1\"", true)]
    [InlineData("*", true)]
    [InlineData("\"v2\"", false)]
    public void IsNotModified_IfNoneMatch_WeakComparison(string ifNoneMatch, bool expected)
    {
        var request = H(("If-None-Match", ifNoneMatch));
        Assert.Equal(expected, Revalidation.IsNotModified("GET", request, 200, Stored("\"v1\"")));
    }

    [Fact]
    public void IsNotModified_StoredWeakETag_MatchesStrongRequestTag()
    {
        var request = H(("If-None-Match", "\"v1\""));
        Assert.True(Revalidation.IsNotModified("GET", request, 200, Stored("W/\"v1\"")));
    }

    [Fact]
    public void IsNotModified_IfModifiedSinceNotModified_True()
    {
        var request = H(("If-Modified-Since", HttpDates.Format(T0.AddHours(1))));
        Assert.True(Revalidation.IsNotModified("GET", request, 200, Stored(null, T0)));
    }

    [Fact]
    public void IsNotModified_IfModifiedSinceOlder_False()
    {
        var request = H(("If-Modified-Since", HttpDates.Format(T0.AddHours(-1))));
        Assert.False(Revalidation.IsNotModified("GET", request, 200, Stored(null, T0)));
    }

    [Fact]
    public void IsNotModified_IfNoneMatchMismatchWithMatchingDate_IfNoneMatchWins()
    {
        var request = H(("If-None-Match", "\"other\""), ("If-Modified-Since", HttpDates.Format(T0.AddHours(1))));
        Assert.False(Revalidation.IsNotModified("GET", request, 200, Stored("\"v1\"", T0)));
    }

    [Fact]
    public void IsNotModified_InvalidDate_False()
    {
        var request = H(("If-Modified-Since", "yesterday"));
        Assert.False(Revalidation.IsNotModified("GET", request, 200, Stored(null, T0)));
    }

    [Theory]
    [InlineData("POST", 200)]
    [InlineData("GET", 404)]
    public void IsNotModified_NonGetOrNon200_False(string method, int status)
    {
        var request = H(("If-None-Match", "*"));
        Assert.False(Revalidation.IsNotModified(method, request, status, Stored()));
    }

    [Fact]
    public void CurrentAge_FreshFromOrigin_ResponseDelayCounts()
    {
        var age = Revalidation.CurrentAge(TimeSpan.Zero, T0, T0, T0.AddSeconds(2), T0.AddSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(2), age);
    }

    [Fact]
    public void CurrentAge_OriginAgeAndResidentTime_Added()
    {
        var age = Revalidation.CurrentAge(TimeSpan.FromSeconds(100), T0, T0, T0, T0.AddSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(130), age);
    }

    [Fact]
    public void CurrentAge_OriginDateInPast_ApparentAgeUsedWhenLarger()
    {
        var age = Revalidation.CurrentAge(TimeSpan.FromSeconds(5), T0.AddSeconds(-60), T0, T0, T0.AddSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(70), age);
    }

    [Fact]
    public void CurrentAge_OriginClockAhead_NoNegativeAge()
    {
        var age = Revalidation.CurrentAge(TimeSpan.Zero, T0.AddSeconds(60), T0, T0, T0);
        Assert.Equal(TimeSpan.Zero, age);
    }

    [Fact]
    public void AgeHeaderValue_FractionalSeconds_RoundedDown()
    {
        Assert.Equal("12", Revalidation.AgeHeaderValue(TimeSpan.FromSeconds(12.9)));
    }

    [Theory]
    [InlineData(CacheOutcome.Hit, "Hit from fra")]
    [InlineData(CacheOutcome.Miss, "Miss from fra")]
    [InlineData(CacheOutcome.RefreshHit, "RefreshHit from fra")]
    [InlineData(CacheOutcome.Error, "Error from fra")]
    public void XCache_Outcomes_CloudFrontFormat(CacheOutcome outcome, string expected)
    {
        Assert.Equal(expected, Revalidation.XCache(outcome, "fra"));
    }

    [Fact]
    public void MergeNotModified_UpdatesHeaders_KeepsBodyHeaders()
    {
        var stored = H(("Cache-Control", "max-age=60"), ("Content-Length", (5000).ToString()), ("Content-Type", "text/html"));
        var notModified = H(("Cache-Control", "max-age=600"), ("Content-Length", (0).ToString()));
        Revalidation.MergeNotModified(stored, notModified);
        Assert.Equal("max-age=600", stored.CacheControl.ToString());
        Assert.Equal(5000, stored.ContentLength);
        Assert.Equal("text/html", stored.ContentType.ToString());
    }

    private static IHeaderDictionary H(params (string Name, string Value)[] headers)
    {
        IHeaderDictionary result = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            result.Append(name, value);
        }

        return result;
    }
}
