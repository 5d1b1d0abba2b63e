using System.Diagnostics;
using Meridian.Database.Failover;
using Meridian.Database.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace Meridian.Database.Tests.Integration;

/// <summary>Automated failover, fencing and the lag guard on real PostgreSQL: the postmaster is killed with SIGKILL.</summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task PrimaryKilled_ReplicaPromoted_WritesResumeAndOldPrimaryFencedThenRejoins()
    {
        await using var test = await TestCluster.Plan().StartAsync();
        await test.ExecuteAsync("primary", "CREATE TABLE t (id int PRIMARY KEY)");
        await test.ExecuteAsync("primary", "INSERT INTO t SELECT generate_series(1, 100)");
        await test.WaitUntilAsync(async () => await test.ScalarAsync<long>("replica", "SELECT count(*) FROM t") == 100, Bound, "rows on the replica");
        await test.WaitUntilAsync(() => test.Controller.LastWriterPosition is not null, Bound, "the writer's position observed");

        var clock = Stopwatch.StartNew();
        test.Kill("primary");
        // RTO as a client sees it: kill -> first successful write on whichever member the cluster names writer.
        await test.WaitUntilAsync(async () =>
        {
            if (!test.Controller.AcceptsWrites)
            {
                return false;
            }
            await test.ExecuteAsync(test.Controller.Writer, "INSERT INTO t VALUES (101)");
            return true;
        }, Bound, "a write on the new writer");
        clock.Stop();
        output.WriteLine($"kill -> first write on the new writer: {clock.Elapsed.TotalSeconds:0.00} s");

        Assert.Equal("replica", test.Controller.Writer);
        Assert.Equal(101L, await test.ScalarAsync<long>("replica", "SELECT count(*) FROM t")); // no acknowledged row lost
        Assert.Equal(2, await test.ScalarAsync<int>("replica", "SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int"));
        var failover = test.Controller.LastFailover!;
        Assert.Equal(("primary", "replica", false), (failover.From, failover.To, failover.Planned));
        Assert.Contains(test.Events.Snapshot(), e => e.Kind == DatabaseEventKind.Fenced && e.Member == "primary");

        // The old primary is restarted by hand: it must come back unable to write, then rejoin as a replica.
        await test.StartServerAsync("primary");
        var write = await Assert.ThrowsAsync<PostgresException>(() => test.ExecuteAsync("primary", "INSERT INTO t VALUES (999)"));
        Assert.Equal("25006", write.SqlState); // read_only_sql_transaction
        await test.WaitUntilAsync(() => test.Controller.State == FailoverState.Healthy && test.Controller.PendingRejoin.Count == 0, Bound, "the old primary to rejoin");
        await test.ExecuteAsync("replica", "INSERT INTO t VALUES (102)");
        await test.WaitUntilAsync(async () => await test.ScalarAsync<long>("primary", "SELECT count(*) FROM t") == 102, Bound, "new rows on the rejoined old primary");
        Assert.True(await test.ScalarAsync<bool>("primary", "SELECT pg_is_in_recovery()"));
        Assert.Contains(test.Events.Snapshot(), e => e.Kind == DatabaseEventKind.Rejoined && e.Member == "primary");
    }

    [Fact]
    public async Task PrimaryKilled_ReplicaBeyondLagGuard_NoPromotionReadOnlyWithReason()
    {
        await using var test = await TestCluster.Plan().With(c => c with { Failover = c.Failover with { MaxLagOnFailover = 64 * 1024 } }).StartAsync();
        await test.ExecuteAsync("primary", "CREATE TABLE t (id int, payload text)");
        // Cut the replica off its primary (a partition), then write ~2 MB it never receives.
        await test.ExecuteAsync("replica", "ALTER SYSTEM SET primary_conninfo = 'host=127.0.0.1 port=1 connect_timeout=1'");
        await test.ExecuteAsync("replica", "SELECT pg_reload_conf()");
        await test.WaitUntilAsync(async () => await test.ScalarAsync<long>("primary", "SELECT count(*) FROM pg_stat_replication") == 0, Bound, "the replica to disconnect");
        await test.ExecuteAsync("primary", "INSERT INTO t SELECT g, repeat('x', 1000) FROM generate_series(1, 2000) g");
        var written = await test.ScalarAsync<long>("primary", "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
        await test.WaitUntilAsync(() => test.Controller.LastWriterPosition >= written, Bound, "the writer's position observed");

        test.Kill("primary");
        await test.WaitUntilAsync(() => test.Controller.State == FailoverState.ReadOnly, Bound, "read-only");
        var checks = test.Controller.ChecksCompleted;
        await test.WaitUntilAsync(() => test.Controller.ChecksCompleted >= checks + 4, Bound, "four more checks"); // still no promotion
        Assert.Equal(FailoverState.ReadOnly, test.Controller.State);
        Assert.Equal("primary", test.Controller.Writer);
        Assert.True(await test.ScalarAsync<bool>("replica", "SELECT pg_is_in_recovery()"));
        // One event per distinct reason, not one per check: the reason carries the lag, so a replica whose observed
        // position moves while it stays over the guard (replay catching up with received WAL) adds one more.
        var events = test.Events.Snapshot();
        var blocked = events.Where(e => e.Kind == DatabaseEventKind.PromotionBlocked).ToList();
        Assert.NotEmpty(blocked);
        Assert.All(blocked.Zip(blocked.Skip(1)), pair => Assert.NotEqual(pair.First.Reason, pair.Second.Reason));
        Assert.Contains("over max_lag_on_failover (65536 bytes)", blocked[^1].Reason);
        Assert.DoesNotContain(events, e => e.Kind == DatabaseEventKind.Promoted);
        Assert.False(test.Cluster!.Status().AcceptsWrites);
    }

    [Fact]
    public async Task PrimaryAndReplicaKilled_ReadOnlyNoWritableMember()
    {
        await using var test = await TestCluster.Plan().StartAsync();
        test.Kill("replica");
        test.Kill("primary");
        await test.WaitUntilAsync(() => test.Controller.State == FailoverState.ReadOnly, Bound, "read-only");
        var status = test.Cluster!.Status();
        Assert.False(status.AcceptsWrites);
        Assert.All(status.Members, m => Assert.Equal("down", m.Role));
        Assert.Contains("no replica can be promoted", status.Reason);

        // The replica comes back first: it is caught up (nothing was written), so it is promoted; never two writers.
        await test.StartServerAsync("replica");
        await test.WaitUntilAsync(() => test.Controller.AcceptsWrites, Bound, "the replica promoted");
        Assert.Equal("replica", test.Controller.Writer);
        await test.StartServerAsync("primary");
        await test.WaitUntilAsync(() => test.Controller.State == FailoverState.Healthy, Bound, "the old primary rejoined");
        Assert.True(await test.ScalarAsync<bool>("primary", "SELECT pg_is_in_recovery()"));
    }

    [Fact]
    public async Task Switchover_ToOtherRegion_NoRowLostAndRolesSwapped()
    {
        await using var test = await TestCluster.Plan(("primary", "us-east-1", false), ("standby", "us-east-1", true), ("replica", "eu-west-1", false)).StartAsync();
        await test.ExecuteAsync("primary", "CREATE TABLE t (id int PRIMARY KEY)");
        await test.ExecuteAsync("primary", "INSERT INTO t SELECT generate_series(1, 5000)");
        Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss.fff} inserted");
        var clock = Stopwatch.StartNew();
        var record = await test.Cluster!.SwitchoverAsync("eu-west-1", CancellationToken.None);
        output.WriteLine($"switchover took {clock.Elapsed.TotalSeconds:0.00} s");

        Assert.Equal(("primary", "replica", true), (record.From, record.To, record.Planned));
        Assert.Equal("replica", test.Controller.Writer);
        Assert.Equal(5000L, await test.ScalarAsync<long>("replica", "SELECT count(*) FROM t"));
        await test.ExecuteAsync("replica", "INSERT INTO t VALUES (5001)");
        Assert.True(await test.ScalarAsync<bool>("primary", "SELECT pg_is_in_recovery()"));
        await test.WaitUntilAsync(async () => await test.ScalarAsync<long>("primary", "SELECT count(*) FROM t") == 5001, Bound, "the former writer following");
        await test.WaitUntilAsync(async () => await test.ScalarAsync<long>("standby", "SELECT count(*) FROM t") == 5001, Bound, "the standby following the new writer");
        Assert.Equal(FailoverState.Healthy, test.Controller.State);
        Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss.fff} done; events:\n{string.Join("\n", test.Events.Snapshot())}");
    }
}
