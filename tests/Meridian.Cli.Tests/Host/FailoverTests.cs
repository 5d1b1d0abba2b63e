using DnsClient;
using Meridian.Cli.Tests.Support;
using Meridian.Testing;
using Xunit.Abstractions;
using static Meridian.Cli.Tests.Support.Topologies;

namespace Meridian.Cli.Tests.Host;

/// <summary>
/// Failover end to end: real HTTP health endpoints, real health checks (interval 1s, fall 2, rise 2, confirm 250ms),
/// the real DNS server in <see cref="Hosting.MeridianHost"/>, queried with DnsClient.NET and dig.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan SwitchBound = TimeSpan.FromSeconds(10);
    private SwitchableHealthEndpoint _primary = null!;
    private SwitchableHealthEndpoint _secondary = null!;

    public async Task InitializeAsync()
    {
        _primary = await SwitchableHealthEndpoint.StartAsync();
        _secondary = await SwitchableHealthEndpoint.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _primary.DisposeAsync();
        await _secondary.DisposeAsync();
    }

    [Fact]
    public async Task FailoverRecord_PrimaryHealthFlips_AnswerSwitchesToSecondaryAndBack()
    {
        using var file = TopologyFile.Create(Failover(_primary.Port, _secondary.Port));
        await using var meridian = await HostedMeridian.StartAsync(file);
        var dns = meridian.Lookup();
        var name = Fqdn("failover");
        await WaitForBothHealthyAsync(meridian);
        Assert.Equal(Primary, await dns.AddressesAsync(name));

        _primary.Healthy = false;
        var down = await Eventually.Until(async () => await dns.AddressesAsync(name) == Secondary, SwitchBound, "answer becomes the secondary");
        output.WriteLine($"primary /health -> 503: DNS answer switched to the secondary after {down.TotalMilliseconds:0} ms");
        Assert.Equal(Secondary, (await dns.AddressesAsync(name)));

        _primary.Healthy = true;
        var up = await Eventually.Until(async () => await dns.AddressesAsync(name) == Primary, SwitchBound, "answer returns to the primary");
        output.WriteLine($"primary /health -> 200: DNS answer returned to the primary after {up.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task LatencyAliasFailover_PrimaryHealthFlips_DigAndTcpSeeSecondaryAndBack()
    {
        using var file = TopologyFile.Create(Failover(_primary.Port, _secondary.Port));
        await using var meridian = await HostedMeridian.StartAsync(file);
        var name = Fqdn("app");
        await WaitForBothHealthyAsync(meridian);
        Assert.Equal([Primary], await Dig.ShortAsync(meridian.DnsEndpoint, name, "A"));
        Assert.Equal(Primary, await meridian.Lookup(tcp: true).AddressesAsync(name));

        _primary.Healthy = false;
        var down = await Eventually.Until(async () => (await Dig.ShortAsync(meridian.DnsEndpoint, name, "A")).SequenceEqual([Secondary]),
            SwitchBound, "dig sees the secondary");
        output.WriteLine($"latency+failover: dig saw the secondary {down.TotalMilliseconds:0} ms after the primary failed");
        Assert.Equal(Secondary, await meridian.Lookup(tcp: true).AddressesAsync(name));

        _primary.Healthy = true;
        var up = await Eventually.Until(async () => (await Dig.ShortAsync(meridian.DnsEndpoint, name, "A")).SequenceEqual([Primary]),
            SwitchBound, "dig sees the primary again");
        output.WriteLine($"latency+failover: dig saw the primary {up.TotalMilliseconds:0} ms after it recovered");
    }

    [Fact]
    public async Task FailoverRecord_BothEndpointsFail_FailsOpenToPrimary()
    {
        using var file = TopologyFile.Create(Failover(_primary.Port, _secondary.Port));
        await using var meridian = await HostedMeridian.StartAsync(file);
        var dns = meridian.Lookup();
        await WaitForBothHealthyAsync(meridian);

        _primary.Healthy = false;
        _secondary.Healthy = false;
        await WaitForCheckAsync(meridian, "primary-app", healthy: false);
        await WaitForCheckAsync(meridian, "secondary-app", healthy: false);

        Assert.Equal(Primary, await dns.AddressesAsync(Fqdn("failover")));
        Assert.Equal(Primary, await dns.AddressesAsync(Fqdn("app")));
    }

    [Fact]
    public async Task FailoverRecord_BothEndpointsFailWithFailClosed_Nodata()
    {
        using var file = TopologyFile.Create(Failover(_primary.Port, _secondary.Port, whenAllUnhealthy: "fail_closed"));
        await using var meridian = await HostedMeridian.StartAsync(file);
        var dns = meridian.Lookup();
        await WaitForBothHealthyAsync(meridian);
        Assert.Equal(Primary, await dns.AddressesAsync(Fqdn("failover")));

        _primary.Healthy = false;
        _secondary.Healthy = false;
        await WaitForCheckAsync(meridian, "primary-app", healthy: false);
        await WaitForCheckAsync(meridian, "secondary-app", healthy: false);

        var response = await dns.QueryAsync(Fqdn("failover"), QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NoError, response.Header.ResponseCode);
        Assert.Empty(response.Answers);
        Assert.Single(response.Authorities.SoaRecords());
    }

    private static async Task WaitForBothHealthyAsync(HostedMeridian meridian)
    {
        // Unknown answers as healthy already; waiting for real results makes the later flips start from a known state.
        await WaitForCheckAsync(meridian, "primary-app", healthy: true);
        await WaitForCheckAsync(meridian, "secondary-app", healthy: true);
    }

    private static Task WaitForCheckAsync(HostedMeridian meridian, string check, bool healthy) =>
        Eventually.Until(() => meridian.Host.Health!.Find(check)?.Status == (healthy ? Health.HealthStatus.Healthy : Health.HealthStatus.Unhealthy),
            SwitchBound, $"{check} is {(healthy ? "healthy" : "unhealthy")}");
}
