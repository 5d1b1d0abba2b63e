using Meridian.Topology.Validation;

namespace Meridian.Topology.Tests;

public sealed class HelperTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("1s", 1000)]
    [InlineData("1.5s", 1500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("10", 10_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("365d", 31_536_000_000)]
    public void TryParse_ValidDuration_ReturnsMilliseconds(string text, double ms)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(ms, value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1w")]
    [InlineData("999999999d")]
    [InlineData("-1s")]
    [InlineData("1.5")]
    [InlineData("s")]
    [InlineData("999999999h")]
    public void TryParse_InvalidDuration_ReturnsFalse(string text) => Assert.False(Durations.TryParse(text, out _));

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("same", "same", 0)]
    [InlineData("health_cheks", "health_checks", 1)]
    public void Levenshtein_Pairs_ReturnsDistance(string a, string b, int expected) =>
        Assert.Equal(expected, Suggestions.Levenshtein(a, b));

    [Fact]
    public void Closest_NoCandidateNear_ReturnsNull() => Assert.Null(Suggestions.Closest("zzzzzz", ["regions", "zones"]));

    [Theory]
    [InlineData("app", "mydomain.test", "app.mydomain.test")]
    [InlineData("@", "mydomain.test", "mydomain.test")]
    [InlineData("x.other.", "mydomain.test", "x.other")]
    [InlineData("WWW.MyDomain.Test", "mydomain.test", "www.mydomain.test")]
    [InlineData("notmydomain.test", "mydomain.test", "notmydomain.test.mydomain.test")]
    public void Relative_Name_IsNormalised(string raw, string zone, string expected) =>
        Assert.Equal(expected, DomainName.Relative(raw, zone));

    [Fact]
    public void Error_WildcardOnlyAsFirstLabel()
    {
        Assert.Null(DomainName.Error("*.mydomain.test"));
        Assert.NotNull(DomainName.Error("a.*.mydomain.test"));
        Assert.NotNull(DomainName.Error("*.mydomain.test", allowWildcard: false));
    }

    [Theory]
    [InlineData("*", "", true)]
    [InlineData("*", "/anything/at/all", true)]
    [InlineData("/static/*", "/static/", true)]
    [InlineData("/static/*", "/static/css/site.css", true)]
    [InlineData("/static/*", "/static", false)]
    [InlineData("/static/*", "/Static/a", false)] // case-sensitive, as CloudFront
    [InlineData("/images/*.jpg", "/images/a/b.jpg", true)]
    [InlineData("/images/*.jpg", "/images/a.png", false)]
    [InlineData("/a?c", "/abc", true)]
    [InlineData("/a?c", "/ac", false)]
    [InlineData("/a*b*c", "/aXbYbZc", true)]
    [InlineData("/a*b*c", "/aXbYbZ", false)]
    public void Matches_CloudFrontWildcards(string pattern, string path, bool expected) =>
        Assert.Equal(expected, PathPatterns.Matches(pattern, path));

    [Theory]
    [InlineData("*", "/static/*", true)]
    [InlineData("/*", "/static/*", true)]
    [InlineData("/static/*", "/static/*", true)]
    [InlineData("/static/*", "/static/img/*.png", true)]
    [InlineData("/*.jpg", "/images/*.jpg", true)]
    [InlineData("/a*?", "/a?*", true)]
    [InlineData("/a?*", "/a*?", true)]
    [InlineData("/a**", "/a*", true)]
    [InlineData("/?", "/x", true)]
    [InlineData("/static/*", "/static*", false)]
    [InlineData("/images/*", "/*.jpg", false)]
    [InlineData("/x", "/?", false)]
    [InlineData("/a?", "/a*", false)]
    [InlineData("/a/*", "/b/*", false)]
    public void Covers_GlobInclusion(string outer, string inner, bool expected) =>
        Assert.Equal(expected, PathPatterns.Covers(outer, inner));

    [Theory]
    [InlineData("*", null)]
    [InlineData("/", null)]
    [InlineData("/api/v1/*.json", null)]
    [InlineData("/a$b~c@d:e+f&g'h\"i_j-k.l?m%20=n", null)]
    [InlineData("api/*", "starts with '/'")]
    [InlineData("**", "starts with '/'")]
    [InlineData("/a b", "spaces")]
    [InlineData("/a\tb", "spaces")]
    [InlineData("/a#b", "'#' is not allowed")]
    [InlineData("/caf\u00e9", "'\u00e9' is not allowed")]
    public void PathPatternError_CloudFrontSyntax(string pattern, string? message)
    {
        var error = PathPatterns.Error(pattern);
        if (message is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(message, error);
        }
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("512", 512L)]
    [InlineData("512B", 512L)]
    [InlineData("1KB", 1024L)]
    [InlineData("1KiB", 1024L)]
    [InlineData("1k", 1024L)]
    [InlineData("256MB", 268435456L)]
    [InlineData("256 MiB", 268435456L)]
    [InlineData("1.5GB", 1610612736L)]
    [InlineData("2gb", 2147483648L)]
    [InlineData("1TB", 1099511627776L)]
    public void TryParse_ValidByteSize_ReturnsBytes(string text, long bytes)
    {
        Assert.True(ByteSizes.TryParse(text, out var value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("MB")]
    [InlineData("-1MB")]
    [InlineData("1.5B")]
    [InlineData("1.1")]
    [InlineData("1PB")]
    [InlineData("1 M B")]
    [InlineData("999999999999999TB")]
    public void TryParse_InvalidByteSize_ReturnsFalse(string text) => Assert.False(ByteSizes.TryParse(text, out _));

    [Theory]
    [InlineData(1048576L, "1MB")]
    [InlineData(268435456L, "256MB")]
    [InlineData(1536L, "1.5KB")]
    [InlineData(100L, "100B")]
    public void Format_ByteSize_UsesLargestUnit(long bytes, string text) => Assert.Equal(text, ByteSizes.Format(bytes));
}
