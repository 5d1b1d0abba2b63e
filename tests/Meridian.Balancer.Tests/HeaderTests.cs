using System.Net;

namespace Meridian.Balancer.Tests;

public sealed class HeaderTests
{
    [Fact]
    public async Task Forward_ClientWithoutRequestId_ForwardedHeadersAndGeneratedId()
    {
        await using var h = await BalancerHarness.StartAsync(1);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders?id=7");
        request.Headers.Host = "shop.example.test";
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https"); // spoofed: replaced
        using var response = await h.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = h[0].LastHeaders;
        Assert.Equal("shop.example.test", seen["Host"]);
        Assert.Equal("203.0.113.9, 127.0.0.1", seen["X-Forwarded-For"]);
        Assert.Equal("http", seen["X-Forwarded-Proto"]);
        Assert.Equal("shop.example.test", seen["X-Forwarded-Host"]);
        Assert.Equal(h.Balancer.Endpoint.Port.ToString(), seen["X-Forwarded-Port"]);
        var id = seen["X-Request-Id"];
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(id, Assert.Single(response.Headers.GetValues("X-Request-Id")));
    }

    [Fact]
    public async Task Forward_ClientRequestIdOnCustomHeader_KeptAndReturned()
    {
        await using var h = await BalancerHarness.StartAsync(1, c => c with { RequestIdHeader = "X-Trace" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("X-Trace", "abc-123");
        using var response = await h.Client.SendAsync(request);

        var seen = h[0].LastHeaders;
        Assert.Equal("abc-123", seen["X-Trace"]);
        Assert.Equal($"127.0.0.1:{h.Balancer.Endpoint.Port}", seen["Host"]);
        Assert.Equal("127.0.0.1", seen["X-Forwarded-For"]);
        Assert.Equal("abc-123", Assert.Single(response.Headers.GetValues("X-Trace")));
    }

    [Fact]
    public async Task Forward_NoTarget_503StillCarriesRequestId()
    {
        await using var h = await BalancerHarness.StartAsync(1, c => c with { Health = BalancerHarness.Health(healthy: 2) });
        using var response = await h.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Matches("^[0-9a-f]{32}$", Assert.Single(response.Headers.GetValues("X-Request-Id")));
    }
}
