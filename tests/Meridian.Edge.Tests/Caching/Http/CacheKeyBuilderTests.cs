using Meridian.Edge.Caching;
using Meridian.Topology.Model;
using Microsoft.AspNetCore.Http;

namespace Meridian.Edge.Tests.Caching.Http;

public sealed class CacheKeyBuilderTests
{
    private static CacheKeyConfig Config(
        KeyListPolicy query = KeyListPolicy.None, string[]? queryNames = null, string[]? headers = null,
        KeyListPolicy cookies = KeyListPolicy.None, string[]? cookieNames = null) =>
        new(query, queryNames ?? [], headers ?? [], cookies, cookieNames ?? []);

    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var result = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            result.Append(name, value);
        }

        return result;
    }

    private static CacheKeyResult Build(CacheKeyConfig config, string? query = null, HeaderDictionary? headers = null,
        string method = "GET", string path = "/a", string distribution = "site") =>
        new CacheKeyBuilder(config).Build(method, distribution, path, query, headers ?? Headers());

    [Fact]
    public void Build_GetAndHead_ShareKey()
    {
        Assert.Equal(Build(Config()).Key, Build(Config(), method: "HEAD").Key);
    }

    [Fact]
    public void Build_Options_DiffersFromGet()
    {
        Assert.NotEqual(Build(Config()).Key, Build(Config(), method: "OPTIONS").Key);
    }

    [Fact]
    public void Build_DifferentDistributionOrPath_DifferentKeys()
    {
        Assert.NotEqual(Build(Config()).Key, Build(Config(), distribution: "other").Key);
        Assert.NotEqual(Build(Config(), path: "/a").Key, Build(Config(), path: "/A").Key);
    }

    [Fact]
    public void Build_QueryNone_QueryIgnoredAndNotForwarded()
    {
        var a = Build(Config(), "?x=1");
        var b = Build(Config(), "?x=2");
        Assert.Equal(a.Key, b.Key);
        Assert.Equal("", a.Origin.Query);
    }

    [Fact]
    public void Build_QueryAll_AllInKeyAndForwarded()
    {
        var a = Build(Config(KeyListPolicy.All), "?x=1&y=2");
        Assert.NotEqual(a.Key, Build(Config(KeyListPolicy.All), "?x=1&y=3").Key);
        Assert.Equal("x=1&y=2", a.Origin.Query);
    }

    [Fact]
    public void Build_QueryAll_OrderIsSignificant()
    {
        // CloudFront: "The order of parameters matters in query strings".
        Assert.NotEqual(Build(Config(KeyListPolicy.All), "a=1&b=2").Key, Build(Config(KeyListPolicy.All), "b=2&a=1").Key);
    }

    [Fact]
    public void Build_QueryAll_CaseIsSignificant()
    {
        Assert.NotEqual(Build(Config(KeyListPolicy.All), "color=red").Key, Build(Config(KeyListPolicy.All), "Color=red").Key);
    }

    [Fact]
    public void Build_QueryAllowList_OnlyListedInKeyAndForwarded()
    {
        var config = Config(KeyListPolicy.AllowList, ["color"]);
        var a = Build(config, "color=red&size=large&utm=1");
        var b = Build(config, "size=small&color=red");
        Assert.Equal(a.Key, b.Key);
        Assert.Equal("color=red", a.Origin.Query);
        Assert.NotEqual(a.Key, Build(config, "color=blue").Key);
    }

    [Fact]
    public void Build_QueryAllowList_NameComparedCaseSensitively()
    {
        Assert.Equal("", Build(Config(KeyListPolicy.AllowList, ["color"]), "Color=red").Origin.Query);
    }

    [Fact]
    public void Build_QueryAllowList_RepeatedParameterKeptInOrder()
    {
        Assert.Equal("id=1&id=2", Build(Config(KeyListPolicy.AllowList, ["id"]), "id=1&x=0&id=2").Origin.Query);
    }

    [Fact]
    public void Build_QueryAllExcept_ListedRemoved()
    {
        var config = Config(KeyListPolicy.AllExcept, ["utm_source", "fbclid"]);
        var a = Build(config, "page=2&utm_source=mail&fbclid=xyz");
        Assert.Equal("page=2", a.Origin.Query);
        Assert.Equal(a.Key, Build(config, "page=2").Key);
    }

    [Fact]
    public void Build_QueryPercentEncodedName_MatchedDecoded()
    {
        Assert.Equal("my%20key=1", Build(Config(KeyListPolicy.AllowList, ["my key"]), "my%20key=1").Origin.Query);
    }

    [Fact]
    public void Build_QueryEmptySegments_Dropped()
    {
        Assert.Equal("a=1&b=2", Build(Config(KeyListPolicy.All), "a=1&&b=2&").Origin.Query);
    }

    [Fact]
    public void Build_HeaderAllowList_InKeyCaseInsensitiveName()
    {
        var config = Config(headers: ["Accept-Language"]);
        var en = Build(config, headers: Headers(("accept-language", "en")));
        var fr = Build(config, headers: Headers(("Accept-Language", "fr")));
        Assert.NotEqual(en.Key, fr.Key);
        Assert.Equal(en.Key, Build(config, headers: Headers(("ACCEPT-LANGUAGE", "en"))).Key);
        Assert.Contains("accept-language", en.Origin.HeaderNames);
        Assert.True(en.Origin.ShouldForward("Accept-Language"));
    }

    [Fact]
    public void Build_HeaderValue_AsSent()
    {
        var config = Config(headers: ["X-Variant"]);
        Assert.NotEqual(Build(config, headers: Headers(("X-Variant", "A"))).Key, Build(config, headers: Headers(("X-Variant", "a"))).Key);
    }

    [Fact]
    public void Build_HeaderAbsentVsEmpty_DifferentKeys()
    {
        var config = Config(headers: ["X-Variant"]);
        var empty = new HeaderDictionary { ["X-Variant"] = new Microsoft.Extensions.Primitives.StringValues([""]) };
        Assert.NotEqual(Build(config).Key, Build(config, headers: empty).Key);
    }

    [Fact]
    public void Build_HeaderNotInList_NotInKey()
    {
        var config = Config(headers: ["Accept-Language"]);
        Assert.Equal(Build(config).Key, Build(config, headers: Headers(("User-Agent", "curl"), ("X-Anything", "1"))).Key);
    }

    [Theory]
    [InlineData("X-Forwarded-Host", "evil.example")]
    [InlineData("X-Forwarded-Scheme", "http")]
    [InlineData("X-Original-URL", "/admin")]
    [InlineData("X-Rewrite-URL", "/admin")]
    [InlineData("X-Host", "evil.example")]
    [InlineData("X-Forwarded-Proto", "http")]
    [InlineData("X-HTTP-Method-Override", "DELETE")]
    public void Build_PoisoningHeaderNotInKey_SameKeyAndStrippedFromOrigin(string name, string value)
    {
        var config = Config(KeyListPolicy.All, headers: ["Accept-Language"]);
        var clean = Build(config);
        var attack = Build(config, headers: Headers((name, value)));
        Assert.Equal(clean.Key, attack.Key);
        Assert.False(attack.Origin.ShouldForward(name));

        var request = new HttpRequestMessage(HttpMethod.Get, "http://origin.internal/a");
        request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.TryAddWithoutValidation("Accept-Language", "en");
        attack.Origin.ApplyTo(request);
        Assert.False(request.Headers.Contains(name));
        Assert.True(request.Headers.Contains("Accept-Language"));
    }

    [Fact]
    public void ApplyTo_ViewerConditionalsRangeUserAgent_Stripped()
    {
        var result = Build(Config());
        var request = new HttpRequestMessage(HttpMethod.Get, "http://origin.internal/a?x=1");
        request.Headers.TryAddWithoutValidation("If-None-Match", "\"v1\"");
        request.Headers.TryAddWithoutValidation("If-Modified-Since", "Wed, 21 Oct 2015 07:28:00 GMT");
        request.Headers.TryAddWithoutValidation("Range", "bytes=0-10");
        request.Headers.TryAddWithoutValidation("User-Agent", "curl/8");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer x");
        request.Headers.TryAddWithoutValidation("Cookie", "a=1");
        result.Origin.ApplyTo(request);
        Assert.Empty(request.Headers);
        Assert.Equal("", result.Origin.Query); // the query the transformer puts into the origin URI
    }

    [Fact]
    public void ApplyTo_PostBody_AuthorizationAndContentHeadersKept()
    {
        var result = Build(Config(), method: "POST");
        var request = new HttpRequestMessage(HttpMethod.Post, "http://origin.internal/a")
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer x");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil");
        result.Origin.ApplyTo(request);
        Assert.True(request.Headers.Contains("Authorization"));
        Assert.False(request.Headers.Contains("X-Forwarded-Host"));
        Assert.Equal("application/json", request.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public void ApplyTo_QueryAndCookiesAndAcceptEncoding_Rebuilt()
    {
        var config = Config(KeyListPolicy.AllowList, ["v"], cookies: KeyListPolicy.AllowList, cookieNames: ["lang"]);
        var result = Build(config, "v=2&utm=1", Headers(("Cookie", "session=s; lang=fr; other=1"), ("Accept-Encoding", "gzip, deflate, br")));
        var request = new HttpRequestMessage(HttpMethod.Get, "http://origin.internal/p/a?v=2&utm=1");
        request.Headers.TryAddWithoutValidation("Cookie", "session=s; lang=fr; other=1");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br");
        result.Origin.ApplyTo(request);
        Assert.Equal("v=2", result.Origin.Query); // the query the transformer puts into the origin URI
        Assert.Equal("lang=fr", string.Join(";", request.Headers.GetValues("Cookie")));
        Assert.Equal("br,gzip", string.Join(",", request.Headers.GetValues("Accept-Encoding")));
    }

    [Fact]
    public void Build_CookiesNone_IgnoredAndNotForwarded()
    {
        var a = Build(Config(), headers: Headers(("Cookie", "session=1")));
        Assert.Equal(Build(Config()).Key, a.Key);
        Assert.Null(a.Origin.Cookie);
    }

    [Fact]
    public void Build_CookiesAll_AllInKeyOrderInsensitiveAndForwardedInViewerOrder()
    {
        var config = Config(cookies: KeyListPolicy.All);
        var a = Build(config, headers: Headers(("Cookie", "b=2; a=1")));
        var b = Build(config, headers: Headers(("Cookie", "a=1; b=2")));
        Assert.Equal(a.Key, b.Key);
        Assert.Equal("b=2; a=1", a.Origin.Cookie);
        Assert.NotEqual(a.Key, Build(config, headers: Headers(("Cookie", "a=1; b=3"))).Key);
    }

    [Fact]
    public void Build_CookiesAllowList_OnlyListed()
    {
        var config = Config(cookies: KeyListPolicy.AllowList, cookieNames: ["lang"]);
        var a = Build(config, headers: Headers(("Cookie", "session=1; lang=en")));
        var b = Build(config, headers: Headers(("Cookie", "session=2; lang=en")));
        Assert.Equal(a.Key, b.Key);
        Assert.Equal("lang=en", a.Origin.Cookie);
        Assert.NotEqual(a.Key, Build(config, headers: Headers(("Cookie", "lang=fr"))).Key);
    }

    [Fact]
    public void Build_CookiesAllowList_NamesCaseSensitive()
    {
        var config = Config(cookies: KeyListPolicy.AllowList, cookieNames: ["lang"]);
        Assert.Null(Build(config, headers: Headers(("Cookie", "LANG=en"))).Origin.Cookie);
    }

    [Fact]
    public void Build_CookiesAllExcept_ListedRemoved()
    {
        var config = Config(cookies: KeyListPolicy.AllExcept, cookieNames: ["_ga", "_gid"]);
        var a = Build(config, headers: Headers(("Cookie", "_ga=1; theme=dark; _gid=2")));
        Assert.Equal("theme=dark", a.Origin.Cookie);
        Assert.Equal(a.Key, Build(config, headers: Headers(("Cookie", "theme=dark; _ga=9"))).Key);
    }

    [Fact]
    public void Build_CookiesInSeveralHeaderLines_AllParsed()
    {
        var config = Config(cookies: KeyListPolicy.All);
        var a = Build(config, headers: Headers(("Cookie", "a=1"), ("Cookie", "b=2")));
        Assert.Equal("a=1; b=2", a.Origin.Cookie);
    }

    [Theory]
    [InlineData("gzip, deflate, br", "br,gzip")]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("GZIP;q=0.5", "gzip")]
    [InlineData("deflate, sdch", "")]
    [InlineData("*", "")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("identity", "")]
    [InlineData("", "")]
    public void NormalizeAcceptEncoding_Values_CloudFrontNormalization(string header, string expected)
    {
        Assert.Equal(expected, CacheKeyBuilder.NormalizeAcceptEncoding(header));
    }

    [Fact]
    public void Build_AcceptEncodingEquivalentValues_SameKey()
    {
        var a = Build(Config(), headers: Headers(("Accept-Encoding", "gzip, deflate, br")));
        var b = Build(Config(), headers: Headers(("Accept-Encoding", "br, gzip")));
        Assert.Equal(a.Key, b.Key);
        Assert.Equal("br,gzip", a.Origin.AcceptEncoding);
        Assert.NotEqual(a.Key, Build(Config(), headers: Headers(("Accept-Encoding", "gzip"))).Key);
        Assert.NotEqual(a.Key, Build(Config()).Key);
    }

    [Fact]
    public void Build_Http10_AcceptEncodingRemoved()
    {
        var result = new CacheKeyBuilder(Config()).Build("GET", "site", "/a", null, Headers(("Accept-Encoding", "gzip")), http10: true);
        Assert.Equal("", result.AcceptEncoding);
        Assert.Null(result.Origin.AcceptEncoding);
    }

    [Fact]
    public void Build_AcceptEncodingOrCookieInHeaderList_HandledByOwnRules()
    {
        var config = Config(headers: ["Accept-Encoding", "Cookie"]);
        var a = Build(config, headers: Headers(("Accept-Encoding", "gzip, deflate"), ("Cookie", "a=1")));
        Assert.Equal(Build(config, headers: Headers(("Accept-Encoding", "gzip"))).Key, a.Key);
        Assert.Null(a.Origin.Cookie);
    }

    [Fact]
    public void Build_ComponentBoundaries_Unambiguous()
    {
        // A value cannot imitate the next component: lengths are prefixed.
        var config = Config(KeyListPolicy.All);
        Assert.NotEqual(Build(config, "x", path: "/a\nq1:").Key, Build(config, "", path: "/a").Key);
    }

    [Fact]
    public void Build_ForwardedSchemeAndHost_InKeyOnlyWhenGiven()
    {
        var builder = new CacheKeyBuilder(Config());
        var headers = Headers();
        var http = builder.Build("GET", "site", "/a", null, headers, forwardedScheme: "http");
        var https = builder.Build("GET", "site", "/a", null, headers, forwardedScheme: "HTTPS");
        Assert.NotEqual(http.Key, https.Key);
        Assert.Equal(https.Key, builder.Build("GET", "site", "/a", null, headers, forwardedScheme: "https").Key);

        var a = builder.Build("GET", "site", "/a", null, headers, forwardedHost: "a.example.com");
        var b = builder.Build("GET", "site", "/a", null, headers, forwardedHost: "b.example.com");
        Assert.NotEqual(a.Key, b.Key);
        Assert.Equal(a.Key, builder.Build("GET", "site", "/a", null, headers, forwardedHost: "A.example.com").Key);
        Assert.NotEqual(a.Key, builder.Build("GET", "site", "/a", null, headers).Key);
    }
}
