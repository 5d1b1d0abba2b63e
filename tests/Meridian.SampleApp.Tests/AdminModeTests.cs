using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Meridian.SampleApp.Endpoints;
using Meridian.SampleApp.Tests.Support;

namespace Meridian.SampleApp.Tests;

public sealed class AdminModeTests
{
    [Fact]
    public async Task GetMode_Default_ReportsHealthy()
    {
        await using var app = await RunningSampleApp.StartAsync();

        var body = await Json.ReadAsync(await app.Client.GetAsync("admin/mode"));

        Assert.Equal("healthy", body.GetProperty("mode").GetString());
        Assert.False(body.GetProperty("unhealthy").GetBoolean());
    }

    [Fact]
    public async Task PostMode_UnhealthyQuery_HealthReturns503AndApiStillServes()
    {
        await using var app = await RunningSampleApp.StartAsync();

        using var set = await app.Client.PostAsync("admin/mode?mode=unhealthy", null);
        using var health = await app.Client.GetAsync("health");
        using var api = await app.Client.GetAsync("api/region");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal("unhealthy", (await Json.ReadAsync(await app.Client.GetAsync("admin/mode"))).GetProperty("mode").GetString());
    }

    [Fact]
    public async Task PostMode_SlowJsonBody_ResponsesTakeAtLeastDelay()
    {
        await using var app = await RunningSampleApp.StartAsync();
        using var set = await app.Client.PostAsJsonAsync("admin/mode", new { mode = "slow", delayMs = 400 });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        var started = Stopwatch.GetTimestamp();
        using var api = await app.Client.GetAsync("api/time");
        var apiElapsed = Stopwatch.GetElapsedTime(started);
        started = Stopwatch.GetTimestamp();
        using var health = await app.Client.GetAsync("health");
        var healthElapsed = Stopwatch.GetElapsedTime(started);

        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(apiElapsed >= TimeSpan.FromMilliseconds(400), $"api took {apiElapsed}");
        Assert.True(healthElapsed >= TimeSpan.FromMilliseconds(400), $"health took {healthElapsed}");
    }

    [Fact]
    public async Task PostMode_Error_NonAdminEndpointsReturn500ButHealthStaysOk()
    {
        await using var app = await RunningSampleApp.StartAsync();

        using var set = await app.Client.PostAsync("admin/mode?mode=error", null);
        using var api = await app.Client.GetAsync("api/region");
        using var asset = await app.Client.GetAsync("static/app.css");
        using var order = await app.Client.PostAsync("api/orders", null);
        using var health = await app.Client.GetAsync("health");
        using var admin = await app.Client.GetAsync("admin/mode");

        Assert.Equal(HttpStatusCode.InternalServerError, api.StatusCode);
        Assert.True(api.Headers.CacheControl?.NoStore);
        Assert.Equal(HttpStatusCode.InternalServerError, asset.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, order.StatusCode);
        Assert.Equal(0, app.Control.OrderCount);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Theory]
    [InlineData("admin/mode?mode=error503", HttpStatusCode.ServiceUnavailable)]
    [InlineData("admin/mode?mode=error&status=502", HttpStatusCode.BadGateway)]
    public async Task PostMode_ErrorWithStatus_ReturnsChosenStatus(string url, HttpStatusCode expected)
    {
        await using var app = await RunningSampleApp.StartAsync();

        using var set = await app.Client.PostAsync(url, null);
        using var api = await app.Client.GetAsync("api/time");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(expected, api.StatusCode);
        Assert.Equal("us-1", Assert.Single(api.Headers.GetValues("X-Instance")));
    }

    [Fact]
    public async Task PostMode_ErrorAndUnhealthy_HealthAlsoFails()
    {
        await using var app = await RunningSampleApp.StartAsync();

        using var set = await app.Client.PostAsync("admin/mode?mode=error,unhealthy", null);
        using var health = await app.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("unhealthy,error", (await Json.ReadAsync(set)).GetProperty("mode").GetString());
    }

    [Fact]
    public async Task PostMode_Healthy_ClearsFaults()
    {
        await using var app = await RunningSampleApp.StartAsync();
        app.Control.SetError();

        using var set = await app.Client.PostAsync("admin/mode?mode=healthy", null);
        using var api = await app.Client.GetAsync("api/region");

        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(SampleAppMode.Healthy, app.Control.Mode);
    }

    [Theory]
    [InlineData("admin/mode?mode=sideways")]
    [InlineData("admin/mode")]
    [InlineData("admin/mode?mode=error&status=200")]
    [InlineData("admin/mode?mode=slow&delayMs=abc")]
    public async Task PostMode_Invalid_Returns400AndKeepsMode(string url)
    {
        await using var app = await RunningSampleApp.StartAsync();

        using var response = await app.Client.PostAsync(url, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(SampleAppMode.Healthy, app.Control.Mode);
    }

    [Fact]
    public async Task ControlSetSlow_InProcess_DelaysResponses()
    {
        var control = new SampleAppControl();
        await using var app = await RunningSampleApp.StartAsync(o => o with { Control = control });
        Assert.Same(control, app.Control);
        control.SetSlow(TimeSpan.FromMilliseconds(300));

        var started = Stopwatch.GetTimestamp();
        using var response = await app.Client.GetAsync("api/region");

        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(300));
        Assert.Equal("slow", (await Json.ReadAsync(await app.Client.GetAsync("admin/mode"))).GetProperty("mode").GetString());
    }

    [Fact]
    public async Task GetMode_FromLoopback_IsAllowed()
    {
        await using var app = await RunningSampleApp.StartAsync();

        using var response = await app.Client.GetAsync("admin/mode");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.11", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.5", false)]
    [InlineData("192.168.1.20", false)]
    [InlineData("::ffff:10.0.0.5", false)]
    [InlineData("2001:db8::1", false)]
    public void IsAllowed_RemoteAddress_OnlyLoopback(string address, bool expected)
    {
        Assert.Equal(expected, AdminAccess.IsAllowed(IPAddress.Parse(address)));
    }
}
