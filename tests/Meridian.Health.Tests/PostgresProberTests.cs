using System.Net;
using Meridian.Testing;
using Meridian.Topology.Model;

namespace Meridian.Health.Tests;

/// <summary>The PostgreSQL health check against real servers: a primary and its streaming standby on loopback.</summary>
public sealed class PostgresProberTests : IAsyncLifetime
{
    private PostgresTestServer? _primary;
    private PostgresTestServer? _standby;

    public async Task InitializeAsync()
    {
        _primary = await PostgresTestServer.StartPrimaryAsync(IPAddress.Parse("127.0.7.1"));
        _standby = await PostgresTestServer.StartStandbyAsync(_primary, IPAddress.Parse("127.0.7.2"));
    }

    public async Task DisposeAsync()
    {
        if (_standby is not null)
        {
            await _standby.DisposeAsync();
        }

        if (_primary is not null)
        {
            await _primary.DisposeAsync();
        }
    }

    private static HealthCheckConfig Check(PostgresTestServer server, PostgresRole role) => new()
    {
        Name = "db",
        Type = HealthCheckType.Postgres,
        Host = server.Address.ToString(),
        Port = server.Port,
        PostgresRole = role,
        Timeout = TimeSpan.FromSeconds(5),
    };

    private static ValueTask<ProbeResult> ProbeAsync(PostgresTestServer server, PostgresRole role) =>
        HealthProbers.Create(Check(server, role), TimeProvider.System).ProbeAsync("test", CancellationToken.None);

    [Fact]
    public async Task Probe_PrimaryAndStandby_PassOnlyTheRoleTheyHave()
    {
        var results = new Dictionary<string, ProbeResult>
        {
            ["primary/any"] = await ProbeAsync(_primary!, PostgresRole.Any),
            ["primary/primary"] = await ProbeAsync(_primary!, PostgresRole.Primary),
            ["primary/standby"] = await ProbeAsync(_primary!, PostgresRole.Standby),
            ["standby/any"] = await ProbeAsync(_standby!, PostgresRole.Any),
            ["standby/primary"] = await ProbeAsync(_standby!, PostgresRole.Primary),
            ["standby/standby"] = await ProbeAsync(_standby!, PostgresRole.Standby),
        };

        Assert.Equal(
            [true, true, false, true, false, true],
            results.Values.Select(r => r.Success).ToArray());
        Assert.Equal("PostgreSQL writable primary", results["primary/primary"].Reason);
        Assert.Contains("standby (in recovery), primary required", results["standby/primary"].Reason, StringComparison.Ordinal);
        Assert.NotNull(results["primary/any"].Latency);
    }

    [Fact]
    public async Task Probe_StandbyPromoted_PassesAsPrimary()
    {
        await _standby!.PromoteAsync();

        var result = await ProbeAsync(_standby, PostgresRole.Primary);

        Assert.True(result.Success, result.Reason);
    }

    [Fact]
    public async Task Probe_PrimaryMadeReadOnly_FailsPrimaryRole()
    {
        await _primary!.SqlAsync("ALTER SYSTEM SET default_transaction_read_only = on");
        await _primary.SqlAsync("SELECT pg_reload_conf()");

        // pg_reload_conf signals the postmaster; backends started after it see the new setting.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        ProbeResult result;
        while (!(result = await ProbeAsync(_primary, PostgresRole.Primary)).Reason.Contains("read-only", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"still '{result.Reason}' after 10 s");
            await Task.Delay(50);
        }

        Assert.False(result.Success);
        Assert.True((await ProbeAsync(_primary, PostgresRole.Any)).Success);
    }

    [Fact]
    public async Task Probe_ServerStopped_Throws()
    {
        await _standby!.StopAsync();

        await Assert.ThrowsAnyAsync<Exception>(async () => await ProbeAsync(_standby, PostgresRole.Any));
    }
}
