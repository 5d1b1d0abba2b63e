namespace Meridian.Health.Tests;

public sealed class ThresholdMachineTests
{
    private static ThresholdState Run(ThresholdState state, int rise, int fall, params bool[] results)
    {
        foreach (var result in results)
        {
            state = ThresholdMachine.Next(state, result, rise, fall);
        }

        return state;
    }

    [Fact]
    public void Next_UnknownAndSuccess_BecomesHealthyAtOnce()
    {
        var state = ThresholdMachine.Next(ThresholdState.Initial, success: true, rise: 3, fall: 3);
        Assert.Equal(HealthStatus.Healthy, state.Status);
        Assert.False(state.IsConfirming);
    }

    [Fact]
    public void Next_UnknownAndFailuresBelowFall_StaysUnknownAndConfirming()
    {
        var state = Run(ThresholdState.Initial, 3, 3, false, false);
        Assert.Equal(HealthStatus.Unknown, state.Status);
        Assert.Equal(2, state.ConsecutiveFailures);
        Assert.True(state.IsConfirming);
    }

    [Fact]
    public void Next_UnknownAndFallFailures_BecomesUnhealthy()
    {
        var state = Run(ThresholdState.Initial, 3, 3, false, false, false);
        Assert.Equal(HealthStatus.Unhealthy, state.Status);
        Assert.False(state.IsConfirming);
    }

    [Fact]
    public void Next_UnknownFailureThenSuccess_BecomesHealthy()
    {
        var state = Run(ThresholdState.Initial, 3, 3, false, true);
        Assert.Equal(HealthStatus.Healthy, state.Status);
        Assert.Equal(0, state.ConsecutiveFailures);
    }

    [Fact]
    public void Next_HealthyAndFailuresBelowFall_StaysHealthy()
    {
        var state = Run(new ThresholdState(HealthStatus.Healthy, 0, 0), 2, 3, false, false);
        Assert.Equal(HealthStatus.Healthy, state.Status);
        Assert.True(state.IsConfirming);
    }

    [Fact]
    public void Next_HealthyAndFallConsecutiveFailures_BecomesUnhealthy()
    {
        var state = Run(new ThresholdState(HealthStatus.Healthy, 0, 0), 2, 3, false, false, false);
        Assert.Equal(HealthStatus.Unhealthy, state.Status);
    }

    [Fact]
    public void Next_HealthySingleSuccessBetweenFailures_ResetsFailureCount()
    {
        var state = Run(new ThresholdState(HealthStatus.Healthy, 0, 0), 2, 3, false, false, true, false, false);
        Assert.Equal(HealthStatus.Healthy, state.Status);
        Assert.Equal(2, state.ConsecutiveFailures);
    }

    [Fact]
    public void Next_UnhealthyAndSuccessesBelowRise_StaysUnhealthyAndConfirming()
    {
        var state = Run(new ThresholdState(HealthStatus.Unhealthy, 0, 0), 3, 2, true, true);
        Assert.Equal(HealthStatus.Unhealthy, state.Status);
        Assert.Equal(2, state.ConsecutiveSuccesses);
        Assert.True(state.IsConfirming);
    }

    [Fact]
    public void Next_UnhealthyAndRiseSuccesses_BecomesHealthy()
    {
        var state = Run(new ThresholdState(HealthStatus.Unhealthy, 0, 0), 3, 2, true, true, true);
        Assert.Equal(HealthStatus.Healthy, state.Status);
        Assert.False(state.IsConfirming);
    }

    [Fact]
    public void Next_UnhealthyFailureBetweenSuccesses_ResetsSuccessCount()
    {
        var state = Run(new ThresholdState(HealthStatus.Unhealthy, 0, 0), 3, 2, true, true, false, true, true);
        Assert.Equal(HealthStatus.Unhealthy, state.Status);
        Assert.Equal(2, state.ConsecutiveSuccesses);
    }

    [Fact]
    public void Next_UnhealthyAndFailure_StaysUnhealthyNotConfirming()
    {
        var state = Run(new ThresholdState(HealthStatus.Unhealthy, 0, 0), 3, 2, false);
        Assert.Equal(HealthStatus.Unhealthy, state.Status);
        Assert.False(state.IsConfirming);
    }

    [Fact]
    public void Next_HealthyAndSuccess_StaysHealthyWithoutCounters()
    {
        var state = Run(new ThresholdState(HealthStatus.Healthy, 0, 0), 3, 2, true, true);
        Assert.Equal(new ThresholdState(HealthStatus.Healthy, 0, 0), state);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    public void Next_ThresholdsOfOneOrLess_TransitionOnFirstResult(int rise, int fall)
    {
        var down = ThresholdMachine.Next(new ThresholdState(HealthStatus.Healthy, 0, 0), false, rise, fall);
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        var up = ThresholdMachine.Next(down, true, rise, fall);
        Assert.Equal(HealthStatus.Healthy, up.Status);
    }
}
