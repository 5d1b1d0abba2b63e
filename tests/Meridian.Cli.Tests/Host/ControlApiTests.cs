using System.Net;
using System.Text.Json;
using Meridian.Cli.Tests.Support;
using Xunit.Abstractions;
using static Meridian.Cli.Tests.Support.Topologies;

namespace Meridian.Cli.Tests.Host;

/// <summary>The control API of a running host: /healthz, /v1/status, /v1/resolve, /v1/events.</summary>
public sealed class ControlApiTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private SwitchableHealthEndpoint _primary = null!;
    private SwitchableHealthEndpoint _secondary = null!;
    private TopologyFile _file = null!;
    private HostedMeridian _meridian = null!;

    public async Task InitializeAsync()
    {
        _primary = await SwitchableHealthEndpoint.StartAsync();
        _secondary = await SwitchableHealthEndpoint.StartAsync();
        _file = TopologyFile.Create(Failover(_primary.Port, _secondary.Port));
        _meridian = await HostedMeridian.StartAsync(_file);
    }

    public async Task DisposeAsync()
    {
        await _meridian.DisposeAsync();
        _file.Dispose();
        await _primary.DisposeAsync();
        await _secondary.DisposeAsync();
    }

    [Fact]
    public async Task Healthz_Running_Ok()
    {
        Assert.Equal("ok", await _meridian.Http.GetStringAsync("healthz"));
    }

    [Fact]
    public async Task Status_ChecksProbed_ListsEveryCheckWithStatus()
    {
        await Eventually.Until(async () =>
        {
            using var status = await GetJsonAsync("v1/status");
            return status.RootElement.GetProperty("checks").EnumerateArray().All(c => c.GetProperty("status").GetString() == "Healthy");
        }, Bound, "both checks report Healthy");

        using var report = await GetJsonAsync("v1/status");
        var checks = report.RootElement.GetProperty("checks").EnumerateArray().ToArray();
        Assert.Equal(["primary-app", "secondary-app"], checks.Select(c => c.GetProperty("name").GetString()));
        Assert.All(checks, c => Assert.True(c.GetProperty("healthy").GetBoolean()));
        Assert.Equal(_meridian.DnsEndpoint.ToString(), Assert.Single(report.RootElement.GetProperty("dnsEndpoints").EnumerateArray()).GetString());
        Assert.Equal(_file.Path, report.RootElement.GetProperty("topology").GetString());
    }

    [Fact]
    public async Task Resolve_ClientInEurope_AnswersNearestRegionWithSteps()
    {
        using var result = await GetJsonAsync("v1/resolve?name=app.mydomain.test&type=A&client=81.2.69.0/24");
        output.WriteLine(result.RootElement.ToString());

        Assert.Equal("NOERROR", result.RootElement.GetProperty("rcode").GetString());
        var answer = Assert.Single(result.RootElement.GetProperty("answers").EnumerateArray());
        Assert.Equal(Secondary, answer.GetProperty("value").GetString());
        Assert.Equal("A", answer.GetProperty("type").GetString());
        var steps = result.RootElement.GetProperty("steps").EnumerateArray().Select(s => s.GetString()!).ToArray();
        Assert.NotEmpty(steps);
        Assert.Contains(steps, s => s.Contains("eu-west-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resolve_BadRequests_400WithError()
    {
        using var noName = await _meridian.Http.GetAsync("v1/resolve?type=A");
        using var badClient = await _meridian.Http.GetAsync("v1/resolve?name=app.mydomain.test&client=81.2.69.0/33");
        using var badType = await _meridian.Http.GetAsync("v1/resolve?name=app.mydomain.test&type=BOGUS");

        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badClient.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        Assert.Contains("BOGUS", await badType.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Events_PrimaryFlipsDownAndUp_ShowsHealthChanges()
    {
        await Eventually.Until(() => _meridian.Host.Health!.Find("primary-app")?.Status == Health.HealthStatus.Healthy, Bound, "primary healthy");

        _primary.Healthy = false;
        await Eventually.Until(async () => (await PrimaryEventsAsync()).Contains("Healthy->Unhealthy"), Bound, "an Unhealthy event for primary-app");
        _primary.Healthy = true;
        await Eventually.Until(async () => (await PrimaryEventsAsync()).Contains("Unhealthy->Healthy"), Bound, "a Healthy event for primary-app");

        using var events = await GetJsonAsync("v1/events?limit=50");
        var down = events.RootElement.EnumerateArray().First(e =>
            e.GetProperty("check").GetString() == "primary-app" && e.GetProperty("new").GetString() == "Unhealthy");
        Assert.Contains("503", down.GetProperty("reason").GetString());
        output.WriteLine(events.RootElement.ToString());
    }

    /// <summary>The aggregated (location null) transitions of primary-app as "Old->New" strings.</summary>
    private async Task<List<string>> PrimaryEventsAsync()
    {
        using var events = await GetJsonAsync("v1/events");
        return events.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("check").GetString() == "primary-app" && e.GetProperty("location").ValueKind == JsonValueKind.Null)
            .Select(e => $"{e.GetProperty("old").GetString()}->{e.GetProperty("new").GetString()}")
            .ToList();
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await _meridian.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
