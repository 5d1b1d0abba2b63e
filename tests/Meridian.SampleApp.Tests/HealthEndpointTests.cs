using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Meridian.SampleApp.Dependencies;
using Meridian.SampleApp.Tests.Support;

namespace Meridian.SampleApp.Tests;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task GetHealth_NoDependencies_Returns200Ok()
    {
        await using var app = await RunningSampleApp.StartAsync();

        using var response = await app.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var body = await Json.ReadAsync(response);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal(0, body.GetProperty("checks").GetArrayLength());
    }

    [Fact]
    public async Task GetHealth_TcpDependencyListening_Returns200WithPassingCheck()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            await using var app = await RunningSampleApp.StartAsync(o => o with { Dependencies = [DependencyCheck.Tcp("127.0.0.1", port)] });

            using var response = await app.Client.GetAsync("health");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var check = Assert.Single((await Json.ReadAsync(response)).GetProperty("checks").EnumerateArray());
            Assert.Equal($"tcp:127.0.0.1:{port}", check.GetProperty("name").GetString());
            Assert.True(check.GetProperty("ok").GetBoolean());
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task GetHealth_TcpDependencyClosed_Returns503NamingFailure()
    {
        var port = Ports.Closed();
        await using var app = await RunningSampleApp.StartAsync(o => o with { Dependencies = [DependencyCheck.Parse($"tcp:127.0.0.1:{port}")] });

        using var response = await app.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        var failed = Assert.Single(body.GetProperty("failed").EnumerateArray()).GetString();
        Assert.StartsWith($"tcp:127.0.0.1:{port}: connect failed", failed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetHealth_OneOfTwoDependenciesDown_Returns503()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var up = ((IPEndPoint)listener.LocalEndpoint).Port;
            await using var app = await RunningSampleApp.StartAsync(o => o with
            {
                Dependencies = [DependencyCheck.Tcp("127.0.0.1", up), DependencyCheck.Tcp("127.0.0.1", Ports.Closed())],
            });

            using var response = await app.Client.GetAsync("health");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(2, (await Json.ReadAsync(response)).GetProperty("checks").GetArrayLength());
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task GetHealth_HttpDependencyHealthyThenErroring_Returns200Then503()
    {
        await using var dependency = await RunningSampleApp.StartAsync(o => o with { InstanceId = "db-proxy" });
        var url = new Uri(dependency.BaseAddress, "api/region");
        await using var app = await RunningSampleApp.StartAsync(o => o with { Dependencies = [DependencyCheck.Parse(url.AbsoluteUri)] });

        using var healthy = await app.Client.GetAsync("health");
        dependency.Control.SetError(502);
        using var broken = await app.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, broken.StatusCode);
        var failed = Assert.Single((await Json.ReadAsync(broken)).GetProperty("failed").EnumerateArray()).GetString();
        Assert.Contains("HTTP 502", failed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetHealth_AdminModeUnhealthy_Returns503EvenWithDependenciesUp()
    {
        await using var app = await RunningSampleApp.StartAsync();
        app.Control.SetUnhealthy();

        using var response = await app.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal("unhealthy", body.GetProperty("mode").GetString());
        Assert.Equal("admin mode: unhealthy", body.GetProperty("failed")[0].GetString());
    }

    [Fact]
    public async Task GetHealth_CheckHangs_FailsAtDependencyTimeout()
    {
        await using var app = await RunningSampleApp.StartAsync(o => o with
        {
            AdditionalChecks = [new DelegateCheck("hang", async ct => { await Task.Delay(Timeout.Infinite, ct); return true; })],
            DependencyTimeout = TimeSpan.FromMilliseconds(200),
        });
        var started = Stopwatch.GetTimestamp();

        using var response = await app.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10));
        Assert.Contains("timed out", (await Json.ReadAsync(response)).GetProperty("failed")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetHealth_CheckThrows_Returns503NotServerError()
    {
        await using var app = await RunningSampleApp.StartAsync(o => o with
        {
            AdditionalChecks = [new DelegateCheck("boom", _ => throw new InvalidOperationException("broken driver"))],
        });

        using var response = await app.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("broken driver", (await Json.ReadAsync(response)).GetProperty("failed")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetHealth_CustomKindRegistered_UsesFactory()
    {
        var factory = DependencyCheckFactory.Default.With("fake", d => new DelegateCheck(d.Spec, _ => Task.FromResult(d.Target == "up")));
        await using var app = await RunningSampleApp.StartAsync(o => o with
        {
            CheckFactory = factory,
            Dependencies = [DependencyCheck.Parse("fake:up"), DependencyCheck.Parse("fake:down")],
        });

        using var response = await app.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("fake:down: delegate said no", (await Json.ReadAsync(response)).GetProperty("failed")[0].GetString());
    }
}
