namespace Meridian.Health.Tests;

public sealed class ProbeScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ProbeSchedule.Settings Fall2 = new(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(250), 2);
    private static readonly ThresholdState Healthy = new(HealthStatus.Healthy, 0, 0);

    private static ProbeSchedule.Situation At(ThresholdState state, int inFlight, int pending, DateTimeOffset? lastResult = null) =>
        new(state, T0, lastResult, inFlight, pending);

    [Fact]
    public void NextStart_NothingOutstanding_IntervalOrConfirm()
    {
        Assert.Equal(T0.AddSeconds(1), ProbeSchedule.NextStart(Fall2, At(Healthy, 0, 0)));
        Assert.Equal(T0.AddMilliseconds(250), ProbeSchedule.NextStart(Fall2, At(Healthy with { ConsecutiveFailures = 1 }, 0, 0)));
    }

    [Fact]
    public void NextStart_HealthyProbeOutstanding_HedgesAfterConfirm()
    {
        Assert.Equal(T0.AddMilliseconds(250), ProbeSchedule.NextStart(Fall2, At(Healthy, 1, 1, T0.AddSeconds(-1))));
        Assert.Equal(T0.AddMilliseconds(250), ProbeSchedule.NextStart(Fall2, At(ThresholdState.Initial, 1, 1)));
    }

    [Theory]
    [InlineData(HealthStatus.Unhealthy, 0, 1, 1)] // recovery probing stays sequential
    [InlineData(HealthStatus.Healthy, 1, 1, 1)] // one failure + the outstanding probe already reach Fall
    [InlineData(HealthStatus.Healthy, 0, 2, 2)] // bound: Fall in flight
    [InlineData(HealthStatus.Healthy, 0, 2, 0)] // bound counts overtaken probes too
    public void NextStart_NoHedge_WaitsForResult(HealthStatus status, int failures, int inFlight, int pending)
    {
        var situation = At(new ThresholdState(status, failures, 0), inFlight, pending);
        Assert.Null(ProbeSchedule.NextStart(Fall2, situation));
    }

    [Fact]
    public void NextStart_AnsweredSinceNewestStart_SlowNotHung_NoHedge() =>
        Assert.Null(ProbeSchedule.NextStart(Fall2, At(Healthy, 1, 1, T0.AddMilliseconds(150))));

    [Fact]
    public void NextStart_FastConfirmationOff_NoHedge()
    {
        var off = Fall2 with { Confirm = Fall2.Interval };
        Assert.Null(ProbeSchedule.NextStart(off, At(Healthy, 1, 1)));
    }

    [Fact]
    public void NextStart_OnlyOvertakenProbesInFlight_RegularSchedule() =>
        Assert.Equal(T0.AddSeconds(1), ProbeSchedule.NextStart(Fall2, At(Healthy, 1, 0)));
}
