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
}
