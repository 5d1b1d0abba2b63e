using Meridian.Edge.Caching;
using Microsoft.Extensions.Primitives;

namespace Meridian.Edge.Tests.Caching.Http;

public sealed class ResponseCacheControlTests
{
    [Fact]
    public void Parse_QuotedValueWithComma_NextDirectiveStillRead()
    {
        var cc = ResponseCacheControl.Parse("no-cache=\"Set-Cookie, X-A\", max-age=60");
        Assert.True(cc.NoCache);
        Assert.Equal(TimeSpan.FromSeconds(60), cc.MaxAge);
    }

    [Fact]
    public void Parse_SeveralLinesAndCase_AllDirectives()
    {
        var cc = ResponseCacheControl.Parse(new StringValues(["Public, S-MAXAGE=30", "must-revalidate, stale-if-error=5, stale-while-revalidate=7, no-transform"]));
        Assert.True(cc.Public);
        Assert.Equal(TimeSpan.FromSeconds(30), cc.SharedMaxAge);
        Assert.True(cc.MustRevalidate);
        Assert.True(cc.NoTransform);
        Assert.Equal(TimeSpan.FromSeconds(5), cc.StaleIfError);
        Assert.Equal(TimeSpan.FromSeconds(7), cc.StaleWhileRevalidate);
    }

    [Theory]
    [InlineData("max-age=-1", 0)]
    [InlineData("max-age=", 0)]
    [InlineData("max-age=\"120\"", 120)]
    [InlineData("max-age = 15", 15)]
    public void Parse_MaxAgeForms_ValidOrZero(string header, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), ResponseCacheControl.Parse(header).MaxAge);
    }

    [Fact]
    public void Parse_Empty_NoDirectives()
    {
        Assert.Equal(ResponseCacheControl.Empty, ResponseCacheControl.Parse(StringValues.Empty));
    }
}
