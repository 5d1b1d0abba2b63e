namespace Meridian.Balancer.Tests;

public sealed class TargetHealthMachineTests
{
    [Theory]
    [InlineData(TargetState.Initial, 0, 0, true, TargetState.Initial, 1, 0)]
    [InlineData(TargetState.Initial, 2, 0, true, TargetState.Healthy, 0, 0)]
    [InlineData(TargetState.Initial, 2, 0, false, TargetState.Initial, 0, 1)]
    [InlineData(TargetState.Initial, 0, 1, false, TargetState.Unhealthy, 0, 0)]
    [InlineData(TargetState.Healthy, 0, 1, true, TargetState.Healthy, 0, 0)]
    [InlineData(TargetState.Healthy, 0, 1, false, TargetState.Unhealthy, 0, 0)]
    [InlineData(TargetState.Unhealthy, 1, 0, false, TargetState.Unhealthy, 0, 0)]
    [InlineData(TargetState.Unhealthy, 2, 0, true, TargetState.Healthy, 0, 0)]
    [InlineData(TargetState.Draining, 0, 0, false, TargetState.Draining, 0, 0)]
    public void Next_ThresholdsOfThreeAndTwo_FollowsAlbSemantics(
        TargetState state, int successes, int failures, bool success, TargetState expected, int expectedSuccesses, int expectedFailures)
    {
        var next = TargetHealthMachine.Next(state, successes, failures, success, healthyThreshold: 3, unhealthyThreshold: 2);
        Assert.Equal(new TargetHealthMachine.Result(expected, expectedSuccesses, expectedFailures), next);
    }
}
