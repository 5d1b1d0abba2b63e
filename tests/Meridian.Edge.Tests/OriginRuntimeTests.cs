using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Edge.Tests;

public sealed class OriginRuntimeTests
{
    private static OriginRuntime Create() => new("site",
        EdgeHarness.Origin("origin", new Uri("http://127.0.0.1:9")) with { Probe = OriginProbeConfig.Default with { Enabled = false } },
        TimeProvider.System, new EdgeEventLog(), NullLogger.Instance);

    [Fact]
    public async Task RetireAsync_RequestInFlight_CompletesOnlyWhenRequestEnds()
    {
        var origin = Create();
        Assert.True(origin.TryBeginRequest());

        var retiring = origin.RetireAsync();
        Assert.False(retiring.IsCompleted);
        origin.EndRequest();

        await retiring.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(origin.TryBeginRequest());
    }

    [Fact]
    public async Task RetireAsync_Idle_DisposesAtOnce()
    {
        var origin = Create();

        await origin.RetireAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(origin.TryBeginRequest());
        await origin.DisposeAsync(); // idempotent
    }

    [Fact]
    public void Prefix_OriginUrlWithPathAndQuery_KeepsPathDropsTrailingSlash()
    {
        var origin = new OriginRuntime("site", EdgeHarness.Origin("o", new Uri("http://example.test:8080/static/?x=1")),
            TimeProvider.System, new EdgeEventLog(), NullLogger.Instance);

        Assert.Equal("http://example.test:8080/static", origin.Prefix);
    }
}
