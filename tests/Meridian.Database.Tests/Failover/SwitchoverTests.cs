using System.Net;
using Meridian.Database.Failover;
using Meridian.Database.Monitoring;
using Meridian.Database.Tests.Support;
using Meridian.Topology.Model;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Database.Tests.Failover;

/// <summary>Planned switchover on virtual time with scripted members.</summary>
public sealed class SwitchoverTests : FailoverControllerFixture
{
    [Fact]
    public async Task Switchover_TargetCatchesUp_PromotesRejoinsAndRecordsPlanned()
    {
        var controller = await HealthyController();
        _probe.Primary("primary", 10 * MB, 1, Lag("replica", 0));
        _actions.FinalCheckpoint = 10 * MB + 40;
        _actions.OnStopCleanly = () =>
        {
            _probe.Down("primary");
            _probe.Replica("replica", 10 * MB + 200);
        };
        var record = await controller.SwitchoverAsync("eu-west-1", TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal(("primary", "replica", true, 0L), (record.From, record.To, record.Planned, record.LagBytes));
        Assert.Equal(["stop primary", "promote replica followers=[standby] sync=''", "rejoin primary -> replica"], _actions.Calls);
        Assert.Equal("replica", controller.Writer);
        Assert.Equal(FailoverState.Healthy, controller.State);
        Assert.Equal([FailoverState.Healthy, FailoverState.SwitchoverInProgress, FailoverState.Healthy], Transitions.Select(t => t.To));
    }

    [Fact]
    public async Task Switchover_TargetNeverReceivesFinalCheckpoint_AbortsAndRestartsFormerWriter()
    {
        var controller = await HealthyController();
        _probe.Primary("primary", 10 * MB, 1, Lag("replica", 0));
        _actions.FinalCheckpoint = 12 * MB;
        _actions.OnStopCleanly = () => _probe.Down("primary");
        var switchover = controller.SwitchoverAsync("replica", TimeSpan.FromSeconds(2), CancellationToken.None);
        while (!switchover.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1);
        }
        var error = await Assert.ThrowsAsync<DatabaseException>(() => switchover);
        Assert.Contains("did not receive", error.Message);
        Assert.Equal(["stop primary", "start primary"], _actions.Calls);
        Assert.Equal("primary", controller.Writer);
        Assert.Contains("switchover aborted, 'primary' restarted as the writer", controller.StateReason);
    }

    [Fact]
    public async Task Switchover_TargetFarBehind_AbortsBeforeStoppingAnything()
    {
        var controller = await HealthyController();
        _probe.Primary("primary", 100 * MB, 1, Lag("replica", 90 * MB));
        var switchover = controller.SwitchoverAsync("replica", TimeSpan.FromSeconds(1), CancellationToken.None);
        while (!switchover.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1);
        }
        var error = await Assert.ThrowsAsync<DatabaseException>(() => switchover);
        Assert.Contains("did not catch up", error.Message);
        Assert.Empty(_actions.Calls);
        Assert.Equal(FailoverState.Healthy, controller.State);
    }

    [Theory]
    [InlineData("mars-1", "neither a member nor a region")]
    [InlineData("primary", "already the writer")]
    public async Task Switchover_BadTarget_RefusedWithReason(string target, string message)
    {
        var controller = await HealthyController();
        var error = await Assert.ThrowsAsync<DatabaseException>(() => controller.SwitchoverAsync(target, TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Contains(message, error.Message);
        Assert.Empty(_actions.Calls);
    }

    [Fact]
    public async Task Switchover_WhileReadOnly_Refused()
    {
        var controller = await HealthyController();
        _probe.Down("primary");
        _probe.Down("standby");
        _probe.Down("replica");
        await TickAfter(controller, 1);
        await TickAfter(controller, 3);
        var error = await Assert.ThrowsAsync<DatabaseException>(() => controller.SwitchoverAsync("replica", TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Contains("while the cluster is ReadOnly", error.Message);
    }
}
