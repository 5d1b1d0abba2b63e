using Meridian.Edge.Caching;
using Meridian.Topology.Model;

namespace Meridian.Edge.Tests.Caching.Http;

public sealed class ViewerPolicyTests
{
    private static CacheBehaviorConfig B(ViewerProtocolPolicy protocol = ViewerProtocolPolicy.AllowAll, AllowedMethods methods = AllowedMethods.GetHead) =>
        new() { PathPattern = "*", Target = "o", ViewerProtocol = protocol, AllowedMethods = methods };

    [Theory]
    [InlineData("http")]
    [InlineData("https")]
    public void Evaluate_AllowAll_Continue(string scheme)
    {
        Assert.Equal(ViewerAction.Continue, ViewerPolicy.Evaluate(scheme, "GET", B()).Action);
    }

    [Fact]
    public void Evaluate_RedirectToHttpsOverHttp_301SameHostPathQuery()
    {
        var d = ViewerPolicy.Evaluate("http", "GET", B(ViewerProtocolPolicy.RedirectToHttps), "www.example.com:80", "/a/b?x=1&y=2");
        Assert.Equal(ViewerAction.RedirectToHttps, d.Action);
        Assert.Equal(301, d.StatusCode);
        Assert.Equal("https://www.example.com/a/b?x=1&y=2", d.Location);
    }

    [Fact]
    public void Evaluate_RedirectToHttpsHead_301()
    {
        Assert.Equal(301, ViewerPolicy.Evaluate("http", "HEAD", B(ViewerProtocolPolicy.RedirectToHttps), "h", "/").StatusCode);
    }

    [Fact]
    public void Evaluate_RedirectWithCustomHttpsPort_PortInLocation()
    {
        var d = ViewerPolicy.Evaluate("http", "GET", B(ViewerProtocolPolicy.RedirectToHttps), "127.0.0.1:8080", "/x", httpsPort: 8443);
        Assert.Equal("https://127.0.0.1:8443/x", d.Location);
    }

    [Fact]
    public void Evaluate_RedirectIpv6Host_BracketsKept()
    {
        Assert.Equal("https://[::1]/x", ViewerPolicy.HttpsLocation("[::1]:8080", "/x"));
    }

    [Fact]
    public void Evaluate_RedirectToHttpsOverHttps_Continue()
    {
        Assert.Equal(ViewerAction.Continue, ViewerPolicy.Evaluate("https", "GET", B(ViewerProtocolPolicy.RedirectToHttps)).Action);
    }

    [Fact]
    public void Evaluate_RedirectToHttpsPostOverHttp_403NotRedirected()
    {
        var d = ViewerPolicy.Evaluate("http", "POST", B(ViewerProtocolPolicy.RedirectToHttps, AllowedMethods.All), "h", "/");
        Assert.Equal(ViewerAction.HttpsRequired, d.Action);
        Assert.Equal(403, d.StatusCode);
        Assert.Null(d.Location);
    }

    [Fact]
    public void Evaluate_HttpsOnlyOverHttp_403()
    {
        var d = ViewerPolicy.Evaluate("http", "GET", B(ViewerProtocolPolicy.HttpsOnly));
        Assert.Equal(ViewerAction.HttpsRequired, d.Action);
        Assert.Equal(403, d.StatusCode);
    }

    [Fact]
    public void Evaluate_HttpsOnlyOverHttps_Continue()
    {
        Assert.Equal(ViewerAction.Continue, ViewerPolicy.Evaluate("https", "GET", B(ViewerProtocolPolicy.HttpsOnly)).Action);
    }

    [Theory]
    [InlineData(AllowedMethods.GetHead, "OPTIONS", false)]
    [InlineData(AllowedMethods.GetHead, "POST", false)]
    [InlineData(AllowedMethods.GetHeadOptions, "OPTIONS", true)]
    [InlineData(AllowedMethods.GetHeadOptions, "PUT", false)]
    [InlineData(AllowedMethods.All, "POST", true)]
    [InlineData(AllowedMethods.All, "PATCH", true)]
    [InlineData(AllowedMethods.All, "DELETE", true)]
    [InlineData(AllowedMethods.All, "TRACE", false)]
    [InlineData(AllowedMethods.All, "CONNECT", false)]
    [InlineData(AllowedMethods.GetHead, "get", true)]
    public void Evaluate_Methods_403WhenNotAllowed(AllowedMethods methods, string method, bool allowed)
    {
        var d = ViewerPolicy.Evaluate("https", method, B(methods: methods));
        Assert.Equal(allowed ? ViewerAction.Continue : ViewerAction.MethodNotAllowed, d.Action);
        Assert.Equal(allowed ? 200 : 403, d.StatusCode);
    }

    [Fact]
    public void Evaluate_DisallowedMethodOverHttpWithRedirect_MethodCheckFirst()
    {
        var d = ViewerPolicy.Evaluate("http", "DELETE", B(ViewerProtocolPolicy.RedirectToHttps), "h", "/");
        Assert.Equal(ViewerAction.MethodNotAllowed, d.Action);
    }

    [Fact]
    public void Evaluate_GetWithBody_403()
    {
        var d = ViewerPolicy.Evaluate("https", "GET", B(), hasBody: true);
        Assert.Equal(ViewerAction.GetWithBody, d.Action);
        Assert.Equal(403, d.StatusCode);
        Assert.Equal(ViewerAction.Continue, ViewerPolicy.Evaluate("https", "POST", B(methods: AllowedMethods.All), hasBody: true).Action);
    }
}
