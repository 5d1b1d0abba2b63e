using Meridian.Health.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Health.Tests;

public sealed class ProbeRunnerTests
{
    private sealed class HangingProber : IHealthProber
    {
        public async ValueTask<ProbeResult> ProbeAsync(string location, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return ProbeResult.Pass("never");
        }
    }

    private sealed class IgnoringProber : IHealthProber
    {
        public ValueTask<ProbeResult> ProbeAsync(string location, CancellationToken cancellationToken) =>
            new(new TaskCompletionSource<ProbeResult>().Task);
    }

    private sealed class ThrowingProber : IHealthProber
    {
        public ValueTask<ProbeResult> ProbeAsync(string location, CancellationToken cancellationToken) =>
            throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused);
    }

    [Fact]
    public async Task RunAsync_Invert_FlipsResultAndSaysSo()
    {
        var clock = new FakeTimeProvider();
        var prober = new FakeProber(clock);
        var check = MonitorHarness.Http("web") with { Invert = true };

        var up = await ProbeRunner.RunAsync(prober, check, "local", clock, CancellationToken.None);
        prober.SetUp(false);
        var down = await ProbeRunner.RunAsync(prober, check, "local", clock, CancellationToken.None);

        Assert.False(up.Success);
        Assert.Equal("inverted: HTTP 200", up.Reason);
        Assert.True(down.Success);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_ProberHangs_FailsAtTimeoutOnInjectedClock(bool honoursCancellation)
    {
        var clock = new FakeTimeProvider();
        IHealthProber prober = honoursCancellation ? new HangingProber() : new IgnoringProber();
        var check = MonitorHarness.Http("web") with { Timeout = TimeSpan.FromSeconds(1) };

        var run = ProbeRunner.RunAsync(prober, check, "local", clock, CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(run.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var result = await run.WaitAsync(Wait.DefaultTimeout);

        Assert.False(result.Success);
        Assert.Equal("timeout after 1000 ms", result.Reason);
    }

    [Fact]
    public async Task RunAsync_ProberThrowsSocketError_FailsWithReadableReason()
    {
        var result = await ProbeRunner.RunAsync(new ThrowingProber(), MonitorHarness.Http("web"), "local", TimeProvider.System, CancellationToken.None);
        Assert.False(result.Success);
        Assert.Equal("connection refused", result.Reason);
    }

    [Fact]
    public async Task RunAsync_Stopping_ThrowsCancellation()
    {
        using var cts = new CancellationTokenSource();
        var run = ProbeRunner.RunAsync(new HangingProber(), MonitorHarness.Http("web"), "local", new FakeTimeProvider(), cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
