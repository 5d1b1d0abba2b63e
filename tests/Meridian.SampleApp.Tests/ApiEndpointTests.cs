using System.Net;
using Meridian.SampleApp.Tests.Support;

namespace Meridian.SampleApp.Tests;

public sealed class ApiEndpointTests
{
    [Fact]
    public async Task GetRegion_Default_ReturnsRegionInstanceTimeAndNoStore()
    {
        await using var app = await RunningSampleApp.StartAsync();

        using var response = await app.Client.GetAsync("api/region");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var body = await Json.ReadAsync(response);
        Assert.Equal("us-east-1", body.GetProperty("region").GetString());
        Assert.Equal("us-1", body.GetProperty("instance").GetString());
        var time = body.GetProperty("time").GetDateTimeOffset();
        Assert.InRange(time, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task GetTime_Default_DeclaresShortPublicTtl()
    {
        await using var app = await RunningSampleApp.StartAsync();

        using var response = await app.Client.GetAsync("api/time");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.CacheControl?.MaxAge);
        var body = await Json.ReadAsync(response);
        Assert.Equal("us-east-1", body.GetProperty("region").GetString());
        Assert.Equal("us-1", body.GetProperty("instance").GetString());
        Assert.True(body.TryGetProperty("time", out _));
    }

    [Theory]
    [InlineData("api/region")]
    [InlineData("health")]
    [InlineData("static/app.css")]
    [InlineData("no/such/path")]
    [InlineData("admin/mode")]
    public async Task AnyRequest_Default_CarriesInstanceAndRegionHeaders(string path)
    {
        await using var app = await RunningSampleApp.StartAsync(o => o with { Region = "eu-west-1", InstanceId = "eu-7" });

        using var response = await app.Client.GetAsync(path);

        Assert.Equal("eu-7", Assert.Single(response.Headers.GetValues("X-Instance")));
        Assert.Equal("eu-west-1", Assert.Single(response.Headers.GetValues("X-Region")));
    }

    [Fact]
    public async Task PostOrders_TwoPosts_Returns201WithSequenceAndCountsThem()
    {
        await using var app = await RunningSampleApp.StartAsync();

        using var first = await app.Client.PostAsync("api/orders", new StringContent("{}"));
        using var second = await app.Client.PostAsync("api/orders", new StringContent("{}"));
        using var count = await app.Client.GetAsync("api/orders/count");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(1, (await Json.ReadAsync(first)).GetProperty("order").GetInt64());
        var secondBody = await Json.ReadAsync(second);
        Assert.Equal(2, secondBody.GetProperty("order").GetInt64());
        Assert.Equal("us-1", secondBody.GetProperty("instance").GetString());
        Assert.Equal(2, (await Json.ReadAsync(count)).GetProperty("count").GetInt64());
        Assert.Equal(2, app.Control.OrderCount);
    }

    [Fact]
    public async Task GetOrdersCount_TwoInstances_CountsPerInstance()
    {
        await using var one = await RunningSampleApp.StartAsync();
        await using var two = await RunningSampleApp.StartAsync(o => o with { InstanceId = "us-2" });

        (await one.Client.PostAsync("api/orders", null)).Dispose();

        Assert.Equal(1, (await Json.ReadAsync(await one.Client.GetAsync("api/orders/count"))).GetProperty("count").GetInt64());
        Assert.Equal(0, (await Json.ReadAsync(await two.Client.GetAsync("api/orders/count"))).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task GetRoot_Default_ReturnsHtmlNamingRegion()
    {
        await using var app = await RunningSampleApp.StartAsync();

        var html = await app.Client.GetStringAsync("");

        Assert.Contains("us-east-1", html, StringComparison.Ordinal);
        Assert.Contains("/static/app.css", html, StringComparison.Ordinal);
    }
}
