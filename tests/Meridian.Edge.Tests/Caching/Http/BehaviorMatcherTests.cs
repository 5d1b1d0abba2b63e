using Meridian.Edge.Caching;
using Meridian.Topology.Model;

namespace Meridian.Edge.Tests.Caching.Http;

public sealed class BehaviorMatcherTests
{
    private static CacheBehaviorConfig B(string pattern, string target = "o") => new() { PathPattern = pattern, Target = target };

    [Theory]
    [InlineData("/images/*.jpg", "/images/a.jpg", true)]
    [InlineData("/images/*.jpg", "/images/sub/dir/a.jpg", true)] // '*' crosses '/'
    [InlineData("/images/*.jpg", "/images/a.png", false)]
    [InlineData("/images/*.jpg", "/images/a.JPG", false)]         // case-sensitive
    [InlineData("/images/*.jpg", "/Images/a.jpg", false)]
    [InlineData("images/*.jpg", "/images/a.jpg", true)]           // leading '/' optional
    [InlineData("*.jpg", "/x/y/z.jpg", true)]
    [InlineData("/a?c", "/abc", true)]
    [InlineData("/a?c", "/ac", false)]
    [InlineData("/a?c", "/abbc", false)]
    [InlineData("/api/*", "/api/", true)]
    [InlineData("/api/*", "/api", false)]
    [InlineData("/exact.html", "/exact.html", true)]
    [InlineData("/exact.html", "/exact.html2", false)]
    [InlineData("/*/*/x", "/a/b/c/x", true)]
    [InlineData("/a*b*c", "/aXbYbZc", true)]
    [InlineData("/a*b*c", "/aXbYbZ", false)]
    [InlineData("*", "/anything/at/all", true)]
    [InlineData("/v?/*", "/v1/users", true)]
    public void IsMatch_Patterns_CloudFrontSemantics(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, BehaviorMatcher.IsMatch(pattern, path));
    }

    [Fact]
    public void Match_Ordered_FirstMatchWins()
    {
        var matcher = new BehaviorMatcher([B("/api/v1/*", "v1"), B("/api/*", "api"), B("*", "default")]);
        Assert.Equal("v1", matcher.Match("/api/v1/users")!.Target);
        Assert.Equal("api", matcher.Match("/api/v2/users")!.Target);
        Assert.Equal("default", matcher.Match("/index.html")!.Target);
    }

    [Fact]
    public void Match_BroadPatternFirst_ShadowsLaterOnes()
    {
        var matcher = new BehaviorMatcher([B("/api/*", "api"), B("/api/v1/*", "v1"), B("*", "default")]);
        Assert.Equal("api", matcher.Match("/api/v1/users")!.Target);
        Assert.Equal(0, matcher.MatchIndex("/api/v1/users"));
    }

    [Fact]
    public void Match_NoMatchWithoutFallback_Null()
    {
        var matcher = new BehaviorMatcher([B("/api/*")]);
        Assert.Null(matcher.Match("/other"));
        Assert.Equal(-1, matcher.MatchIndex("/other"));
    }

    [Fact]
    public void For_DistributionWithoutBehaviors_DefaultToTarget()
    {
        var matcher = BehaviorMatcher.For(new DistributionConfig { Name = "d", Target = "primary" });
        var behavior = matcher.Match("/x")!;
        Assert.Equal("primary", behavior.Target);
        Assert.Equal("*", behavior.PathPattern);
        Assert.Equal(TtlConfig.CloudFrontDefault, behavior.Ttl);
    }

    [Fact]
    public void For_DistributionBehaviors_UsedInOrder()
    {
        var matcher = BehaviorMatcher.For(new DistributionConfig
        {
            Name = "d",
            Target = "primary",
            Behaviors = [B("/static/*", "s3"), B("*", "app")],
        });
        Assert.Equal("s3", matcher.Match("/static/a.css")!.Target);
        Assert.Equal("app", matcher.Match("/")!.Target);
    }

    [Fact]
    public void Match_QueryStringIsNotPartOfPath_CallerPassesPathOnly()
    {
        var matcher = new BehaviorMatcher([B("*.css", "css"), B("*", "default")]);
        Assert.Equal("css", matcher.Match("/a.css")!.Target);
        Assert.Equal("default", matcher.Match("/a.php")!.Target); // e.g. /a.php?x=.css: the query is not matched
    }

    [Fact]
    public void IsMatch_LongPathManyStars_Linear()
    {
        var path = "/" + new string('a', 10_000);
        Assert.False(BehaviorMatcher.IsMatch("/*a*a*a*a*a*b", path));
    }
}
