using System.Net;
using Meridian.Database.Failover;
using Meridian.Database.Monitoring;
using Meridian.Database.Tests.Support;
using Meridian.Topology.Model;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Database.Tests.Failover;

/// <summary>Every transition of the failover state machine, on virtual time, with scripted members.</summary>
public sealed class FailoverControllerTests : FailoverControllerFixture
{
    [Fact]
    public async Task Tick_FirstCheckWriterUp_StartingToHealthy()
    {
        AllUp();
        var controller = Controller();
        Assert.Equal(FailoverState.Starting, controller.State);
        await controller.TickAsync(CancellationToken.None);
        Assert.Equal(FailoverState.Healthy, controller.State);
        Assert.True(controller.AcceptsWrites);
        var e = Assert.Single(Transitions);
        Assert.Equal((FailoverState.Starting, FailoverState.Healthy), (e.From, e.To));
        Assert.Contains("'primary' accepts writes", e.Reason);
    }

    [Fact]
    public async Task Tick_WriterUnreachable_HealthyToPrimarySuspect()
    {
        var controller = await HealthyController();
        _probe.Down("primary");
        await TickAfter(controller, 1);
        Assert.Equal(FailoverState.PrimarySuspect, controller.State);
        Assert.False(controller.AcceptsWrites);
        Assert.Contains("ConnectionRefused", Transitions[^1].Reason);
        Assert.Contains(_events.Snapshot(), e => e.Kind == DatabaseEventKind.MemberDown && e.Member == "primary");
    }

    [Fact]
    public async Task Tick_WriterInRecovery_CountsAsUnhealthy()
    {
        var controller = await HealthyController();
        _probe.Replica("primary", 10 * MB);
        await TickAfter(controller, 1);
        Assert.Equal(FailoverState.PrimarySuspect, controller.State);
        Assert.Contains("in recovery", controller.StateReason);
    }

    [Fact]
    public async Task Tick_WriterBackBeforeUnhealthyFor_SuspectToHealthyWithoutPromotion()
    {
        var controller = await HealthyController();
        _probe.Down("primary");
        await TickAfter(controller, 1);
        await TickAfter(controller, 2.9);
        Assert.Equal(FailoverState.PrimarySuspect, controller.State);
        _probe.Primary("primary", 10 * MB);
        await TickAfter(controller, 0.05);
        Assert.Equal(FailoverState.Healthy, controller.State);
        Assert.Contains("answered again after 3.0 s", controller.StateReason); // 2.95 s
        Assert.Empty(_actions.Calls);
    }

    [Fact]
    public async Task Tick_UnhealthyForElapsedLagUnderGuard_FencesThenPromotesBestReplica()
    {
        var controller = await HealthyController();
        _probe.Down("primary");
        _probe.Replica("standby", 10 * MB - 100);
        _probe.Replica("replica", 10 * MB - 500);
        await TickAfter(controller, 1);
        await TickAfter(controller, 3);

        Assert.Equal(FailoverState.Promoted, controller.State);
        Assert.Equal("standby", controller.Writer);
        Assert.Equal(["fence primary -> standby", "promote standby followers=[replica] sync=''"], _actions.Calls);
        var failover = controller.LastFailover!;
        Assert.Equal(("primary", "standby", 100L, false), (failover.From, failover.To, failover.LagBytes, failover.Planned));
        Assert.Equal(TimeSpan.FromSeconds(3), failover.Detection);
        Assert.Equal([FailoverState.Healthy, FailoverState.PrimarySuspect, FailoverState.Promoting, FailoverState.Promoted], Transitions.Select(t => t.To));
        Assert.Contains(_events.Snapshot(), e => e.Kind == DatabaseEventKind.Promoted && e.Member == "standby");
        Assert.Contains("primary", controller.PendingRejoin);
    }

    [Fact]
    public async Task Tick_EqualPositions_PrefersFormerWritersRegionThenOrder()
    {
        var cluster = Cluster() with { Members = [Cluster().Members[0], Cluster().Members[2], Cluster().Members[1]] }; // replica declared first
        var controller = await HealthyController(cluster);
        _probe.Down("primary");
        await TickAfter(controller, 1);
        await TickAfter(controller, 3);
        Assert.Equal("standby", controller.Writer);
    }

    [Fact]
    public async Task Tick_FurthestReplicaWinsOverRegion()
    {
        var controller = await HealthyController();
        _probe.Down("primary");
        _probe.Replica("standby", 9 * MB);
        _probe.Replica("replica", 10 * MB);
        await TickAfter(controller, 1);
        await TickAfter(controller, 3);
        Assert.Equal("replica", controller.Writer);
        Assert.Equal(0, controller.LastFailover!.LagBytes);
    }

    [Fact]
    public async Task Tick_BestReplicaOverLagGuard_ReadOnlyWithReasonAndNoPromotion()
    {
        var controller = await HealthyController();
        _probe.Down("primary");
        _probe.Replica("standby", 8 * MB);
        _probe.Replica("replica", 7 * MB);
        await TickAfter(controller, 1);
        await TickAfter(controller, 3);
        await TickAfter(controller, 1);

        Assert.Equal(FailoverState.ReadOnly, controller.State);
        Assert.False(controller.AcceptsWrites);
        Assert.Equal("primary", controller.Writer);
        Assert.DoesNotContain(_actions.Calls, c => c.StartsWith("promote", StringComparison.Ordinal));
        var blocked = Assert.Single(_events.Snapshot(), e => e.Kind == DatabaseEventKind.PromotionBlocked); // not repeated every check
        Assert.Contains("'standby' is 2097152 bytes behind", blocked.Reason);
        Assert.Contains("over max_lag_on_failover (1048576 bytes)", blocked.Reason);
    }

    [Fact]
    public async Task Tick_PrimaryAndReplicasDown_ReadOnlyNotSplit()
    {
        var controller = await HealthyController();
        _probe.Down("primary");
        _probe.Down("standby");
        _probe.Down("replica", "no answer within 1000 ms");
        await TickAfter(controller, 1);
        await TickAfter(controller, 3);

        Assert.Equal(FailoverState.ReadOnly, controller.State);
        Assert.Contains("no replica can be promoted ('standby' is down, 'replica' is down): read-only, not split", controller.StateReason);
        Assert.Empty(_actions.Calls);
    }

    [Fact]
    public async Task Tick_ReadOnlyWriterReturns_Healthy()
    {
        var controller = await HealthyController();
        _probe.Down("primary");
        _probe.Down("standby");
        _probe.Down("replica");
        await TickAfter(controller, 1);
        await TickAfter(controller, 3);
        AllUp();
        await TickAfter(controller, 1);
        Assert.Equal(FailoverState.Healthy, controller.State);
        Assert.Contains("is back", controller.StateReason);
        Assert.Equal("primary", controller.Writer);
    }

    [Fact]
    public async Task Tick_ReadOnlyReplicaReturnsCaughtUp_Promotes()
    {
        var controller = await HealthyController();
        _probe.Down("primary");
        _probe.Down("standby");
        _probe.Down("replica");
        await TickAfter(controller, 1);
        await TickAfter(controller, 3);
        _probe.Replica("replica", 10 * MB);
        await TickAfter(controller, 1);
        Assert.Equal(FailoverState.Promoted, controller.State);
        Assert.Equal("replica", controller.Writer);
    }

    [Fact]
    public async Task Tick_PromotionFails_ReadOnlyThenRetried()
    {
        var controller = await HealthyController();
        _probe.Down("primary");
        _actions.FailPromote = "pg_promote: connection reset";
        await TickAfter(controller, 1);
        await TickAfter(controller, 3);
        Assert.Equal(FailoverState.ReadOnly, controller.State);
        Assert.Contains("promotion of 'standby' failed: pg_promote: connection reset", controller.StateReason);
        _actions.FailPromote = null;
        await TickAfter(controller, 1);
        Assert.Equal(FailoverState.Promoted, controller.State);
        Assert.Equal("standby", controller.Writer);
    }

    [Fact]
    public async Task Tick_FenceFailsBeforePromotion_StillPromotesAndSaysSo()
    {
        var controller = await HealthyController();
        _probe.Down("primary");
        _actions.FailFence = "host unreachable";
        await TickAfter(controller, 1);
        await TickAfter(controller, 3);
        Assert.Equal("standby", controller.Writer);
        Assert.Contains(_events.Snapshot(), e => e.Kind == DatabaseEventKind.Fenced && e.Reason.Contains("could not stop it now (host unreachable)"));
    }

    [Fact]
    public async Task Tick_AutomaticOff_ReadOnlyWithReason()
    {
        var controller = await HealthyController(Cluster(automatic: false));
        _probe.Down("primary");
        await TickAfter(controller, 1);
        await TickAfter(controller, 3);
        Assert.Equal(FailoverState.ReadOnly, controller.State);
        Assert.Contains("automatic failover is off", controller.StateReason);
        Assert.Empty(_actions.Calls);
    }

    [Fact]
    public async Task Tick_WriterNeverObserved_NoPromotion()
    {
        _probe.Down("primary");
        _probe.Replica("standby", 5 * MB);
        _probe.Replica("replica", 5 * MB);
        var controller = Controller();
        await controller.TickAsync(CancellationToken.None);
        Assert.Equal(FailoverState.PrimarySuspect, controller.State);
        await TickAfter(controller, 3);
        Assert.Equal(FailoverState.ReadOnly, controller.State);
        Assert.Contains("never observed", controller.StateReason);
    }

    [Fact]
    public async Task Tick_FormerWriterReturnsWritable_FencedAtOnce()
    {
        var controller = await FailedOver();
        _probe.Primary("standby", 11 * MB, timeline: 2);
        _probe.Primary("primary", 10 * MB, timeline: 1); // someone restarted the old primary as a primary
        _actions.Calls.Clear();
        await TickAfter(controller, 1);
        Assert.Equal("fence primary -> standby", _actions.Calls[0]);
        Assert.Contains(_events.Snapshot(), e => e.Kind == DatabaseEventKind.Fenced && e.Reason.Contains("'primary' accepts writes (timeline 1) but 'standby' is the writer"));
    }

    [Fact]
    public async Task Tick_RogueWriterWhileHealthy_Fenced()
    {
        var controller = await HealthyController();
        _probe.Primary("replica", 10 * MB, timeline: 2); // promoted behind Meridian's back
        await TickAfter(controller, 1);
        Assert.Equal(["fence replica -> primary", "rejoin replica -> primary"], _actions.Calls);
        Assert.Contains("replica", controller.PendingRejoin);
    }

    [Fact]
    public async Task Tick_FencedFormerWriterRunningAgain_RejoiningThenHealthy()
    {
        var controller = await FailedOver();
        _probe.Primary("standby", 11 * MB, timeline: 2);
        _probe.Replica("primary", 10 * MB); // restarted: fencing made it come back as a replica
        _actions.HoldRejoin = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await TickAfter(controller, 1);
        Assert.Equal(FailoverState.Rejoining, controller.State);
        Assert.True(controller.AcceptsWrites); // the writer serves during the rejoin
        Assert.Contains("rejoin primary -> standby", _actions.Calls);

        _actions.HoldRejoin.SetResult("rewound with pg_rewind");
        await WaitFor(() => controller.RejoinRunning);
        await TickAfter(controller, 1);
        Assert.Equal(FailoverState.Healthy, controller.State);
        Assert.Empty(controller.PendingRejoin);
        Assert.Contains(_events.Snapshot(), e => e.Kind == DatabaseEventKind.Rejoined && e.Reason.Contains("rewound with pg_rewind"));
    }

    [Fact]
    public async Task Tick_RejoinFails_BackToPromotedAndRetried()
    {
        var controller = await FailedOver();
        _probe.Primary("standby", 11 * MB, timeline: 2);
        _probe.Replica("primary", 10 * MB);
        _actions.FailRejoin = "pg_rewind: could not connect";
        await TickAfter(controller, 1);
        await WaitFor(() => controller.RejoinRunning);
        await TickAfter(controller, 1);
        Assert.True(_events.Snapshot().Any(e => e.Kind == DatabaseEventKind.RejoinFailed && e.Reason.Contains("could not connect")), string.Join("\n", _events.Snapshot()) + string.Join("\n", _actions.Calls));
        Assert.Equal(FailoverState.Rejoining, controller.State); // seen again: retried at once
        await WaitFor(() => controller.RejoinRunning);
        Assert.Equal(2, _actions.Calls.Count(c => c.StartsWith("rejoin", StringComparison.Ordinal)));
        _actions.FailRejoin = null;
        await WaitFor(() => controller.RejoinRunning);
        await TickAfter(controller, 1);
        await WaitFor(() => controller.RejoinRunning);
        await TickAfter(controller, 1);
        Assert.Equal(FailoverState.Healthy, controller.State);
    }

    [Fact]
    public async Task Tick_PromotedWriterFails_SuspectAgainAndFormerWriterNotACandidate()
    {
        var controller = await FailedOver();
        _probe.Down("standby");
        _probe.Replica("primary", 10 * MB); // fenced, not yet rewound: must not be promoted
        _actions.HoldRejoin = new TaskCompletionSource<string>();
        await TickAfter(controller, 1);
        Assert.Equal(FailoverState.PrimarySuspect, controller.State);
        await TickAfter(controller, 3);
        Assert.Equal("replica", controller.Writer);
        Assert.DoesNotContain(_actions.Calls, c => c.StartsWith("promote primary", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tick_SynchronousStandbyDownLongerThanUnhealthyFor_AsyncUntilBack()
    {
        var controller = await HealthyController(Cluster(synchronousStandby: true));
        _probe.Down("standby");
        await TickAfter(controller, 1);
        await TickAfter(controller, 2);
        Assert.Empty(_actions.Calls);
        await TickAfter(controller, 1.5);
        Assert.Equal(["sync primary ''"], _actions.Calls);
        Assert.Contains(_events.Snapshot(), e => e.Kind == DatabaseEventKind.SynchronousChanged && e.Reason.Contains("asynchronous"));
        _probe.Replica("standby", 10 * MB);
        await TickAfter(controller, 1);
        Assert.Equal("sync primary 'FIRST 1 (standby)'", _actions.Calls[^1]);
    }

    [Fact]
    public async Task Tick_SynchronousStandbyBackButNotStreamingFromWriter_StaysAsynchronous()
    {
        var controller = await HealthyController(Cluster(synchronousStandby: true));
        _probe.Down("standby");
        await TickAfter(controller, 1);
        await TickAfter(controller, 2);
        await TickAfter(controller, 1.5);
        Assert.Equal(["sync primary ''"], _actions.Calls);

        // Back in recovery, but not (yet) streaming from the writer: naming it would block every commit.
        _probe.PrimaryWithoutStreams("primary", 20 * MB);
        _probe.Replica("standby", 10 * MB);
        await TickAfter(controller, 1);
        Assert.Equal(["sync primary ''"], _actions.Calls);

        _probe.Primary("primary", 20 * MB); // now it streams
        await TickAfter(controller, 1);
        Assert.Equal("sync primary 'FIRST 1 (standby)'", _actions.Calls[^1]);
    }

    [Fact]
    public async Task Tick_SynchronousStandbyPromoted_NewWriterHasNoSynchronousStandby()
    {
        var controller = await HealthyController(Cluster(synchronousStandby: true));
        _probe.Down("primary");
        await TickAfter(controller, 1);
        await TickAfter(controller, 3);
        Assert.Equal("promote standby followers=[replica] sync=''", _actions.Calls[1]);
    }
}
