using Meridian.Health.Tests.Support;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Health.Tests;

public sealed class RealProberTests
{
    private static HealthCheckConfig Check(HealthCheckType type, int port, TimeSpan? timeout = null) => new()
    {
        Name = "real",
        Type = type,
        Host = "127.0.0.1",
        Port = port,
        Path = "/health",
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
    };

    private static async Task<ProbeResult> ProbeAsync(HealthCheckConfig check)
    {
        var prober = HealthProbers.Create(check, TimeProvider.System);
        try
        {
            return await ProbeRunner.RunAsync(prober, check, "local", TimeProvider.System, CancellationToken.None)
                .WaitAsync(Wait.DefaultTimeout);
        }
        finally
        {
            (prober as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public async Task HttpProbe_Status200_Healthy()
    {
        await using var server = new LoopbackServer(200);
        var result = await ProbeAsync(Check(HealthCheckType.Http, server.Port));
        Assert.True(result.Success, result.Reason);
        Assert.Equal("HTTP 200", result.Reason);
        Assert.NotNull(result.Latency);
        Assert.Equal($"127.0.0.1:{server.Port}", server.LastHost);
    }

    [Fact]
    public async Task HttpProbe_Status503_UnhealthyWithExpectedRange()
    {
        await using var server = new LoopbackServer(503);
        var result = await ProbeAsync(Check(HealthCheckType.Http, server.Port));
        Assert.False(result.Success);
        Assert.Equal("HTTP 503 (expected 200-399)", result.Reason);
    }

    [Fact]
    public async Task HttpProbe_CustomExpectedStatus_Honoured()
    {
        await using var server = new LoopbackServer(503);
        var result = await ProbeAsync(Check(HealthCheckType.Http, server.Port) with { ExpectedStatus = [new StatusRange(500, 503)] });
        Assert.True(result.Success, result.Reason);
    }

    [Fact]
    public async Task HttpProbe_Redirect_NotFollowedAndHealthyByDefault()
    {
        await using var server = new LoopbackServer(302);
        var result = await ProbeAsync(Check(HealthCheckType.Http, server.Port));
        Assert.True(result.Success, result.Reason);
        Assert.Equal(1, server.Requests);
    }

    [Theory]
    [InlineData("status: ok", true)]
    [InlineData("status: degraded", false)]
    public async Task HttpProbe_BodyContains_MatchesBody(string body, bool expected)
    {
        await using var server = new LoopbackServer(200, body);
        var result = await ProbeAsync(Check(HealthCheckType.Http, server.Port) with { BodyContains = "ok" });
        Assert.Equal(expected, result.Success);
        if (!expected)
        {
            Assert.Equal("body does not contain 'ok'", result.Reason);
        }
    }

    [Fact]
    public async Task HttpProbe_NeedleBeyondFirst5120Bytes_Unhealthy()
    {
        await using var server = new LoopbackServer(200, new string('x', 5120) + "ok");
        var result = await ProbeAsync(Check(HealthCheckType.Http, server.Port) with { BodyContains = "ok" });
        Assert.False(result.Success);
    }

    [Fact]
    public async Task HttpProbe_HostHeader_Sent()
    {
        await using var server = new LoopbackServer(200);
        var result = await ProbeAsync(Check(HealthCheckType.Http, server.Port) with { HostHeader = "api.meridian.test" });
        Assert.True(result.Success, result.Reason);
        Assert.Equal("api.meridian.test", server.LastHost);
    }

    [Fact]
    public async Task HttpProbe_ConnectionRefused_Unhealthy()
    {
        var result = await ProbeAsync(Check(HealthCheckType.Http, LoopbackServer.ClosedPort()));
        Assert.False(result.Success);
        Assert.Equal("connection refused", result.Reason);
    }

    [Fact]
    public async Task HttpProbe_AcceptsButNeverAnswers_TimesOut()
    {
        await using var server = new LoopbackServer(neverAnswer: true);
        var result = await ProbeAsync(Check(HealthCheckType.Http, server.Port, TimeSpan.FromMilliseconds(300)));
        Assert.False(result.Success);
        Assert.Equal("timeout after 300 ms", result.Reason);
    }

    [Fact]
    public async Task TcpProbe_OpenPort_Healthy()
    {
        await using var server = new LoopbackServer(neverAnswer: true);
        var result = await ProbeAsync(Check(HealthCheckType.Tcp, server.Port));
        Assert.True(result.Success, result.Reason);
        Assert.NotNull(result.Latency);
    }

    [Fact]
    public async Task TcpProbe_ClosedPort_ConnectionRefused()
    {
        var result = await ProbeAsync(Check(HealthCheckType.Tcp, LoopbackServer.ClosedPort()));
        Assert.False(result.Success);
        Assert.Equal("connection refused", result.Reason);
    }

    [Fact]
    public async Task HttpsProbe_SelfSignedWithoutValidation_HealthyWithSni()
    {
        await using var server = new LoopbackServer(200, tls: true);
        var result = await ProbeAsync(Check(HealthCheckType.Https, server.Port) with { HostHeader = "meridian.test" });
        Assert.True(result.Success, result.Reason);
        Assert.Equal("meridian.test", server.LastSni);
    }

    [Fact]
    public async Task HttpsProbe_SelfSignedWithValidation_Unhealthy()
    {
        await using var server = new LoopbackServer(200, tls: true);
        var result = await ProbeAsync(Check(HealthCheckType.Https, server.Port) with { HostHeader = "meridian.test", ValidateCertificate = true });
        Assert.False(result.Success);
        Assert.StartsWith("TLS handshake failed", result.Reason);
    }

    [Fact]
    public async Task Monitor_RealHttpEndpointGoesDown_BecomesUnhealthyThenRecovers()
    {
        var server = new LoopbackServer(200);
        var check = Check(HealthCheckType.Http, server.Port) with
        {
            Interval = TimeSpan.FromMilliseconds(100),
            ConfirmInterval = TimeSpan.FromMilliseconds(20),
            Timeout = TimeSpan.FromSeconds(2),
            Rise = 2,
            Fall = 2,
        };
        var config = new TopologyConfig { SourceFile = "t.yaml", HealthChecks = [check] };
        await using var monitor = new HealthMonitor(config, TimeProvider.System, NullLoggerFactory.Instance);
        monitor.Start();
        try
        {
            await Wait.UntilAsync(() => monitor.Find("real")!.Status == HealthStatus.Healthy, "healthy");
            server.Status = 503;
            await Wait.UntilAsync(() => monitor.Find("real")!.Status == HealthStatus.Unhealthy, "unhealthy");
            Assert.False(monitor.Find("real")!.IsHealthy);
            server.Status = 200;
            await Wait.UntilAsync(() => monitor.Find("real")!.Status == HealthStatus.Healthy, "recovered");
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.Contains(monitor.Events.Snapshot(), e => e.Reason.Contains("HTTP 503 (expected 200-399)", StringComparison.Ordinal));
    }
}
