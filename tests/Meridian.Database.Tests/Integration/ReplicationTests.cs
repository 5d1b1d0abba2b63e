using Meridian.Database.Failover;
using Meridian.Database.Tests.Support;

namespace Meridian.Database.Tests.Integration;

/// <summary>Set-up, replication and lag on real PostgreSQL servers.</summary>
public sealed class ReplicationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Start_PrimaryStandbyAndReplica_RolesSlotsAndSynchronousStandby()
    {
        await using var test = await TestCluster.Plan(("primary", "us-east-1", false), ("standby", "us-east-1", true), ("replica", "eu-west-1", false)).StartAsync();

        Assert.Equal(FailoverState.Healthy, test.Controller.State);
        Assert.False(await test.ScalarAsync<bool>("primary", "SELECT pg_is_in_recovery()"));
        Assert.True(await test.ScalarAsync<bool>("standby", "SELECT pg_is_in_recovery()"));
        Assert.True(await test.ScalarAsync<bool>("replica", "SELECT pg_is_in_recovery()"));
        Assert.Equal("on", await test.ScalarAsync<string>("primary", "SHOW wal_log_hints"));
        Assert.Equal(2L, await test.ScalarAsync<long>("primary", "SELECT count(*) FROM pg_replication_slots WHERE slot_name IN ('standby', 'replica')"));
        await test.WaitUntilAsync(async () => await test.ScalarAsync<long>("primary",
            "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'standby' AND sync_state = 'sync'") == 1, Bound, "standby to be synchronous");
        await test.WaitUntilAsync(() => test.Cluster!.Status().Members.All(m => m.Reachable), Bound, "every member reachable in status");
        var status = test.Cluster!.Status();
        Assert.Equal(["primary", "replica", "replica"], status.Members.Select(m => m.Role));
        Assert.True(status.AcceptsWrites);
    }

    [Fact]
    public async Task Write_OnPrimary_ReplicatesAndIdleLagIsZero()
    {
        await using var test = await TestCluster.Plan().StartAsync();
        await test.ExecuteAsync("primary", "CREATE TABLE items (id int PRIMARY KEY, note text); INSERT INTO items SELECT g, 'row ' || g FROM generate_series(1, 1000) g");

        await test.WaitUntilAsync(async () => await test.ScalarAsync<long>("replica", "SELECT count(*) FROM items") == 1000, Bound, "rows on the replica");
        await test.WaitUntilAsync(() => test.Cluster!.Status().Members.Single(m => m.Name == "replica").Lag is { ReplayLagBytes: 0 }, Bound, "replay lag 0");
        // Idle and caught up: 0 s, not the time since the last transaction (three more checks of idle time first).
        var checks = test.Controller.ChecksCompleted;
        await test.WaitUntilAsync(() => test.Controller.ChecksCompleted >= checks + 3, Bound, "three more checks");
        var lag = await WaitForLag(test);
        Assert.Equal(0, lag.ReplayLagBytes);
        Assert.Equal(0, lag.ReplayLagSeconds);
        Assert.Equal("streaming", lag.State);
    }

    [Fact]
    public async Task Lag_UnderWriteLoad_ReportedInBytesAndSeconds()
    {
        await using var test = await TestCluster.Plan().StartAsync();
        await test.ExecuteAsync("primary", "CREATE TABLE load (id bigserial PRIMARY KEY, payload text)");
        // Replay paused: received WAL piles up unreplayed, so the lag under load is certain to be visible.
        await test.ExecuteAsync("replica", "SELECT pg_wal_replay_pause()");
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            // One connection for the whole load (a new unpooled connection per INSERT, with the helper's 2 s connect
            // timeout, timed out now and then while the disk was busy with this very load).
            await using var connection = test.Connect("primary", timeoutSeconds: 15);
            await connection.OpenAsync();
            while (!stop.IsCancellationRequested)
            {
                await using var insert = new Npgsql.NpgsqlCommand("INSERT INTO load (payload) SELECT repeat('x', 1000) FROM generate_series(1, 200)", connection);
                await insert.ExecuteNonQueryAsync();
            }
        });
        Monitoring.ReplicationLag? seen = null;
        await test.WaitUntilAsync(() =>
        {
            seen = test.Cluster!.Status().Members.Single(m => m.Name == "replica").Lag;
            return seen is { ReplayLagBytes: > 100_000, ReplayLagSeconds: > 0 };
        }, Bound, "replay lag in bytes and seconds");
        await stop.CancelAsync();
        await writer;
        Assert.True(seen!.FlushLagBytes <= seen.ReplayLagBytes);

        await test.ExecuteAsync("replica", "SELECT pg_wal_replay_resume()");
        await test.WaitUntilAsync(() => test.Cluster!.Status().Members.Single(m => m.Name == "replica").Lag is { ReplayLagBytes: 0, ReplayLagSeconds: 0 }, Bound, "lag back to 0");
    }

    private static async Task<Monitoring.ReplicationLag> WaitForLag(TestCluster test)
    {
        Monitoring.ReplicationLag? lag = null;
        await test.WaitUntilAsync(() => (lag = test.Cluster!.Status().Members.Single(m => m.Name == "replica").Lag) is not null, Bound, "a lag row");
        return lag!;
    }
}
