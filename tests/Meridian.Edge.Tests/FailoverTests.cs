using System.Net;

namespace Meridian.Edge.Tests;

public sealed class FailoverTests
{
    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Get_PrimaryReturnsFailoverStatus_SecondaryAnswers(int status)
    {
        await using var primary = await TestOrigin.StartAsync("primary", status);
        await using var secondary = await TestOrigin.StartAsync("secondary");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.QueryInKey(EdgeHarness.Config(
            [EdgeHarness.Origin("primary", primary.Url), EdgeHarness.Origin("secondary", secondary.Url)])));

        using var response = await edge.GetAsync("/page?x=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("secondary", Header(response, "X-Edge-Origin"));
        Assert.Equal("secondary", Header(response, "X-Served-By"));
        Assert.Equal("secondary says 200", await response.Content.ReadAsStringAsync());
        Assert.Single(primary.Requests);
        Assert.Equal("/page?x=1", Assert.Single(secondary.Requests).PathAndQuery);
    }

    [Fact]
    public async Task Get_PrimaryReturns404_NoFailover()
    {
        await using var primary = await TestOrigin.StartAsync("primary", 404);
        await using var secondary = await TestOrigin.StartAsync("secondary");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config(
            [EdgeHarness.Origin("primary", primary.Url), EdgeHarness.Origin("secondary", secondary.Url)]));

        using var response = await edge.GetAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("primary", Header(response, "X-Edge-Origin"));
        Assert.Equal("primary says 404", await response.Content.ReadAsStringAsync());
        Assert.Empty(secondary.Requests);
    }

    [Fact]
    public async Task Get_PrimaryRefusesConnection_SecondaryAnswers()
    {
        await using var secondary = await TestOrigin.StartAsync("secondary");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config(
        [
            EdgeHarness.Origin("primary", ClosedPort.Url(), o => o with { ConnectionAttempts = 3 }),
            EdgeHarness.Origin("secondary", secondary.Url),
        ]));

        using var response = await edge.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("secondary", Header(response, "X-Edge-Origin"));
        var failover = Assert.Single(edge.Server.Events.Snapshot(), e => e.Kind == EdgeEventKind.Failover);
        Assert.Equal("primary", failover.Origin);
        Assert.Equal("secondary", failover.NextOrigin);
        Assert.Contains("ConnectionRefused", failover.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_PrimaryHangs_FailsOverAfterResponseTimeout()
    {
        await using var primary = new HangingOrigin();
        await using var secondary = await TestOrigin.StartAsync("secondary");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config(
        [
            EdgeHarness.Origin("primary", primary.Url, o => o with { ResponseTimeout = TimeSpan.FromMilliseconds(300) }),
            EdgeHarness.Origin("secondary", secondary.Url),
        ]));

        using var response = await edge.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("secondary", Header(response, "X-Edge-Origin"));
        Assert.Equal(1, primary.Requests);
        Assert.Contains(edge.Server.Events.Snapshot(), e => e.Kind == EdgeEventKind.Failover && e.Reason.Contains("timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_OnlyOriginHangs_Returns504()
    {
        await using var primary = new HangingOrigin();
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config(
            [EdgeHarness.Origin("primary", primary.Url, o => o with { ResponseTimeout = TimeSpan.FromMilliseconds(300) })]));

        using var response = await edge.GetAsync();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("primary", Header(response, "X-Edge-Origin"));
    }

    [Fact]
    public async Task Get_ThreeOriginGroupFirstTwoFail_ThirdAnswers()
    {
        await using var first = await TestOrigin.StartAsync("first", 503);
        await using var third = await TestOrigin.StartAsync("third");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config(
        [
            EdgeHarness.Origin("first", first.Url),
            EdgeHarness.Origin("second", ClosedPort.Url()),
            EdgeHarness.Origin("third", third.Url),
        ]));

        using var response = await edge.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("third", Header(response, "X-Edge-Origin"));
        Assert.Equal(2, edge.Server.Events.Snapshot().Count(e => e.Kind == EdgeEventKind.Failover));
    }

    [Fact]
    public async Task Get_AllOriginsFail_ClientSeesLastOriginsResponse()
    {
        await using var first = await TestOrigin.StartAsync("first", 500);
        await using var second = await TestOrigin.StartAsync("second", 503);
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config(
            [EdgeHarness.Origin("first", first.Url), EdgeHarness.Origin("second", second.Url)]));

        using var response = await edge.GetAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("second says 503", await response.Content.ReadAsStringAsync());
        Assert.Equal("second", Header(response, "X-Edge-Origin"));
        Assert.Equal("second", Header(response, "X-Served-By"));
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task OtherMethods_PrimaryReturns503_NotRetried(string method)
    {
        await using var primary = await TestOrigin.StartAsync("primary", 503);
        await using var secondary = await TestOrigin.StartAsync("secondary");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config(
            [EdgeHarness.Origin("primary", primary.Url), EdgeHarness.Origin("secondary", secondary.Url)]));

        using var response = await edge.SendAsync(new HttpMethod(method), "/item/1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(primary.Requests);
        Assert.Empty(secondary.Requests);
    }

    [Fact]
    public async Task Post_PrimaryRefusesConnection_NotRetried()
    {
        await using var secondary = await TestOrigin.StartAsync("secondary");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config(
            [EdgeHarness.Origin("primary", ClosedPort.Url()), EdgeHarness.Origin("secondary", secondary.Url)]));

        using var response = await edge.SendAsync(HttpMethod.Post, "/orders", content: new StringContent("{}"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Empty(secondary.Requests);
    }

    [Fact]
    public async Task Get_ManyConcurrentRequestsWhilePrimaryFails_AllAnsweredBySecondary()
    {
        await using var primary = await TestOrigin.StartAsync("primary", 503);
        await using var secondary = await TestOrigin.StartAsync("secondary");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config(
            [EdgeHarness.Origin("primary", primary.Url), EdgeHarness.Origin("secondary", secondary.Url)]));

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => edge.GetAsync($"/r/{i}")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(50, secondary.Requests.Count);
        var metrics = edge.Server.GetMetrics(EdgeHarness.Location);
        Assert.Equal(50, metrics.Requests);
        Assert.Equal(primary.Requests.Count, metrics.Failovers);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Post_PrimaryReturns503_NotRetried()
    {
        await using var primary = await TestOrigin.StartAsync("primary", 503);
        await using var secondary = await TestOrigin.StartAsync("secondary");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config(
            [EdgeHarness.Origin("primary", primary.Url), EdgeHarness.Origin("secondary", secondary.Url)]));

        using var response = await edge.SendAsync(HttpMethod.Post, "/orders", content: new StringContent("{}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("primary says 503", await response.Content.ReadAsStringAsync());
        Assert.Equal("POST", Assert.Single(primary.Requests).Method);
        Assert.Empty(secondary.Requests);
        Assert.DoesNotContain(edge.Server.Events.Snapshot(), e => e.Kind == EdgeEventKind.Failover);
    }

    [Fact]
    public async Task Post_PrimaryUnhealthy_GoesToFirstHealthyOrigin()
    {
        await using var primary = await TestOrigin.StartAsync("primary", 503);
        await using var secondary = await TestOrigin.StartAsync("secondary");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config(
            [EdgeHarness.Origin("primary", primary.Url), EdgeHarness.Origin("secondary", secondary.Url)]));
        using (var get = await edge.GetAsync())
        {
            Assert.Equal("secondary", Header(get, "X-Edge-Origin"));
        }

        using var response = await edge.SendAsync(HttpMethod.Post, "/orders", content: new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("secondary", Header(response, "X-Edge-Origin"));
        Assert.Single(primary.Requests);
    }

    [Fact]
    public async Task Get_CustomFailoverOn_OnlyListedStatusesFailOver()
    {
        await using var primary = await TestOrigin.StartAsync("primary", 404);
        await using var secondary = await TestOrigin.StartAsync("secondary");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config(
            [EdgeHarness.Origin("primary", primary.Url), EdgeHarness.Origin("secondary", secondary.Url)], failoverOn: [404]));

        using var response = await edge.GetAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("secondary", Header(response, "X-Edge-Origin"));
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    public async Task HeadOrOptions_PrimaryReturns503_SecondaryAnswers(string method)
    {
        await using var primary = await TestOrigin.StartAsync("primary", 503);
        await using var secondary = await TestOrigin.StartAsync("secondary");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config(
            [EdgeHarness.Origin("primary", primary.Url), EdgeHarness.Origin("secondary", secondary.Url)]));

        using var response = await edge.SendAsync(new HttpMethod(method));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("secondary", Header(response, "X-Edge-Origin"));
    }
}
