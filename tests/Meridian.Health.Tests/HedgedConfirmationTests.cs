using Meridian.Health.Tests.Support;
using Meridian.Topology.Model;

namespace Meridian.Health.Tests;

/// <summary>
/// Hedged confirmation: a probe unanswered for ConfirmInterval gets its confirming probe in parallel, so a hung
/// endpoint (accepts, never answers) is detected at start + ConfirmInterval + Timeout with fall 2. Interval 1 s,
/// timeout 1 s, confirm 250 ms throughout, like the sample topology.
/// </summary>
public sealed class HedgedConfirmationTests
{
    private static readonly TimeSpan Ms10 = TimeSpan.FromMilliseconds(10);
    private static readonly string Local = CheckersConfig.LocalLocation;

    private static HealthCheckConfig Check(int fall = 2, int rise = 2) =>
        MonitorHarness.Http("web", rise: rise, fall: fall) with { Timeout = TimeSpan.FromSeconds(1) };

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private static async Task<MonitorHarness> StartHealthyAsync(HealthCheckConfig check)
    {
        var h = new MonitorHarness(MonitorHarness.Topology(null, check));
        await h.StartAsync();
        Assert.Equal(HealthStatus.Healthy, h.Status("web"));
        return h;
    }

    [Fact]
    public async Task Hung_Fall2_UnhealthyAtDeathProbeStartPlusConfirmPlusTimeout()
    {
        await using var h = await StartHealthyAsync(Check());
        h.Prober("web").SetHung(true); // the probe at 1.0 s is the first to hang

        await h.AdvanceAsync(Ms(2240));
        Assert.Equal(HealthStatus.Healthy, h.Status("web")); // 1.0 s timed out at 2.0 s: one failure

        await h.AdvanceAsync(Ms10);
        Assert.Equal(HealthStatus.Unhealthy, h.Status("web")); // the hedge from 1.25 s timed out
        Assert.Equal(Ms(1000 + 250 + 1000), h.Elapsed);
        Assert.Equal([TimeSpan.Zero, Ms(1000), Ms(1250)], h.Prober("web").Starts.Take(3));
        var unhealthy = h.Monitor.Events.Snapshot().Single(e => e.Location is null && e.New == HealthStatus.Unhealthy);
        Assert.Contains("timeout after 1000 ms", unhealthy.Reason);
    }

    [Fact]
    public async Task Hung_Fall3_HedgesTwiceAndIsUnhealthyAfterTwoConfirmIntervalsPlusTimeout()
    {
        await using var h = await StartHealthyAsync(Check(fall: 3));
        h.Prober("web").SetHung(true);

        await h.AdvanceAsync(Ms(2490));
        Assert.Equal(HealthStatus.Healthy, h.Status("web"));
        await h.AdvanceAsync(Ms10);
        Assert.Equal(HealthStatus.Unhealthy, h.Status("web"));
        Assert.Equal([TimeSpan.Zero, Ms(1000), Ms(1250), Ms(1500)], h.Prober("web").Starts.Take(4));
        Assert.Equal(3, h.Prober("web").MaxInFlight(Local));
    }

    [Fact]
    public async Task SlowButHealthy_400ms_NeverUnhealthyNoEventsOneHedgePerRound()
    {
        await using var h = await StartHealthyAsync(Check());
        var eventsBefore = h.Monitor.Events.Snapshot().Count;
        h.Prober("web").SetLatency(Ms(400));

        await h.AdvanceAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HealthStatus.Healthy, h.Status("web"));
        Assert.Equal(eventsBefore, h.Monitor.Events.Snapshot().Count);
        // 1.0 s is suspect at 1.25 s and hedged; it answers at 1.4 s, so the hedge (answering at 1.65 s) is not hedged
        // again; like after any confirming probe, the next round starts an interval after the newest probe (the hedge).
        Assert.Equal([TimeSpan.Zero, Ms(1000), Ms(1250), Ms(2250), Ms(2500), Ms(3500), Ms(3750)], h.Prober("web").Starts.Take(7));
        Assert.Equal(2, h.Prober("web").MaxInFlight(Local));
    }

    [Fact]
    public async Task SlowButHealthy_FromStartUnknown_BecomesHealthyAndStays()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, Check()));
        h.Prober("web").SetLatency(Ms(300));
        await h.StartAsync();
        Assert.Equal(HealthStatus.Unknown, h.Status("web"));

        await h.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HealthStatus.Healthy, h.Status("web"));
        Assert.DoesNotContain(h.Monitor.Events.Snapshot(), e => e.New == HealthStatus.Unhealthy);
    }

    [Fact]
    public async Task OneHungProbeThenRecovers_HedgeSucceeds_StaysHealthyAndTheLateTimeoutIsIgnored()
    {
        await using var h = await StartHealthyAsync(Check());
        var eventsBefore = h.Monitor.Events.Snapshot().Count;
        h.Prober("web").SetHung(true);
        await h.AdvanceAsync(Ms(1000)); // the probe at 1.0 s hangs
        h.Prober("web").SetHung(false);

        await h.AdvanceAsync(TimeSpan.FromSeconds(4));

        Assert.Equal(HealthStatus.Healthy, h.Status("web"));
        Assert.Equal(eventsBefore, h.Monitor.Events.Snapshot().Count);
        // The hedge at 1.25 s answered; the 1.0 s probe's timeout at 2.0 s is overtaken and triggers no confirmation
        // probe: the schedule continues an interval after the hedge.
        Assert.Equal([TimeSpan.Zero, Ms(1000), Ms(1250), Ms(2250), Ms(3250)], h.Prober("web").Starts.Take(5));
    }

    [Fact]
    public async Task HungThenRefused_TwoFailuresInStartOrder_Unhealthy()
    {
        // The hedge fails fast (refused) while the suspect probe still hangs: the hedge's result is the newest, so it
        // is applied at once (one failure); the suspect's timeout is overtaken. The confirming probe follows.
        await using var h = await StartHealthyAsync(Check());
        h.Prober("web").SetHung(true);
        await h.AdvanceAsync(Ms(1000));
        h.Prober("web").SetHung(false);
        h.Prober("web").SetUp(false);

        var took = await h.AdvanceUntilAsync(() => h.Status("web") == HealthStatus.Unhealthy, TimeSpan.FromSeconds(5));
        Assert.Equal(Ms(1500), Ms(1000) + took); // failures at 1.25 s (hedge) and 1.5 s (fast confirmation)
    }

    [Fact]
    public async Task Refused_FailsFast_NoHedgeAndTimingUnchanged()
    {
        await using var h = await StartHealthyAsync(Check());
        h.Prober("web").SetUp(false);

        var took = await h.AdvanceUntilAsync(() => h.Status("web") == HealthStatus.Unhealthy, TimeSpan.FromSeconds(5));
        Assert.Equal(Ms(1250), took);
        Assert.Equal([TimeSpan.Zero, Ms(1000), Ms(1250)], h.Prober("web").Starts);
        Assert.Equal(0, h.Prober("web").MaxInFlight(Local)); // every probe answered at once, none overlapped
    }

    [Fact]
    public async Task Hung_LongRun_NeverMoreThanFallInFlightAndNoHedgingWhileUnhealthy()
    {
        var checkers = new CheckersConfig(["a", "b"], 0.18, UnknownHealthPolicy.Healthy);
        await using var h = new MonitorHarness(MonitorHarness.Topology(checkers, Check()));
        await h.StartAsync();
        await h.AdvanceAsync(Ms(600)); // both locations probed once
        h.Prober("web").SetHung(true);

        await h.AdvanceUntilAsync(() => h.Status("web") == HealthStatus.Unhealthy, TimeSpan.FromSeconds(5));
        Assert.Equal(2, h.Prober("web").MaxInFlight("a"));
        Assert.Equal(2, h.Prober("web").MaxInFlight("b"));

        // Unhealthy: recovery probing is sequential, one probe at a time, every probe timing out.
        await h.AdvanceAsync(TimeSpan.FromSeconds(3)); // let every hedge started before the flip time out (timeout 1 s, with margin)
        h.Prober("web").ResetMaxInFlight();
        await h.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, h.Prober("web").MaxInFlight("a"));
        Assert.Equal(1, h.Prober("web").MaxInFlight("b"));
        Assert.Equal(HealthStatus.Unhealthy, h.Status("web"));
    }

    [Fact]
    public async Task Hung_Fall1_NoHedge()
    {
        await using var h = await StartHealthyAsync(Check(fall: 1));
        h.Prober("web").SetHung(true);

        var took = await h.AdvanceUntilAsync(() => h.Status("web") == HealthStatus.Unhealthy, TimeSpan.FromSeconds(5));
        Assert.Equal(Ms(2000), took); // the 1.0 s probe's own timeout decides
        Assert.Equal(1, h.Prober("web").MaxInFlight(Local));
    }

    [Fact]
    public async Task Hung_RecoversWhileUnhealthy_RiseUnchanged()
    {
        await using var h = await StartHealthyAsync(Check());
        h.Prober("web").SetHung(true);
        await h.AdvanceUntilAsync(() => h.Status("web") == HealthStatus.Unhealthy, TimeSpan.FromSeconds(5)); // 2.25 s
        h.Prober("web").SetHung(false); // the probe started at 2.25 s still hangs until 3.25 s

        var took = await h.AdvanceUntilAsync(() => h.Status("web") == HealthStatus.Healthy, TimeSpan.FromSeconds(5));
        // 2.25 s times out at 3.25 s, the next probe starts then (an interval after 2.25 s) and succeeds, the
        // confirming one at 3.5 s completes the rise.
        Assert.Equal(Ms(3500), Ms(2250) + took);
    }
}
