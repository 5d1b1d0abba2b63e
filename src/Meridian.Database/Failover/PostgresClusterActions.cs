using Meridian.Database.Setup;
using Meridian.Database.Sql;

namespace Meridian.Database.Failover;

/// <summary>The failover state machine's actions on real PostgreSQL servers whose data directories are local.</summary>
internal sealed class PostgresClusterActions(ClusterOperations operations) : IClusterActions
{
    private static readonly TimeSpan FenceStopTimeout = TimeSpan.FromSeconds(10);

    public async Task<string> FenceAsync(string member, string writer, CancellationToken token)
    {
        var server = operations.Servers[member];
        ClusterOperations.EnsureLocal(server.Member);
        var how = "it was not running";
        if (server.RunningPid() is not null)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
            deadline.CancelAfter(FenceStopTimeout);
            try
            {
                await server.StopAsync(immediate: true, deadline.Token).ConfigureAwait(false);
                how = "stopped it (immediate shutdown)";
            }
            catch (Exception ex) when (ex is DatabaseException or OperationCanceledException && !token.IsCancellationRequested)
            {
                // A hung postmaster (SIGSTOP, stuck I/O) ignores pg_ctl: kill it.
                how = server.Kill() ? $"killed its postmaster (pg_ctl stop did not finish: {ex.Message})" : "it stopped meanwhile";
            }
        }
        // If anyone starts it again it comes back as a read-only replica of the new writer, never as a primary.
        operations.Configure(member, writer);
        return $"{how}; configured to restart as a replica of '{writer}' (standby.signal)";
    }

    public async Task<string> PromoteAsync(string member, IReadOnlyList<string> followers, string synchronousNames, CancellationToken token)
    {
        var config = operations.Cluster.FindMember(member)!;
        await using (var connection = await AdminSql.OpenAsync(config, operations.Credentials, token, timeoutSeconds: 5).ConfigureAwait(false))
        {
            if (await AdminSql.ScalarAsync<bool>(connection, "SELECT pg_promote(true, 60)", token).ConfigureAwait(false) != true)
            {
                throw new DatabaseException($"pg_promote on '{member}' did not finish within 60 s");
            }
        }
        // Asynchronous until the followers stream from it: commits (the slots below) would otherwise wait on them.
        operations.Configure(member, member, synchronousNames: "");
        await operations.ReloadAsync(member, token).ConfigureAwait(false);
        await operations.PrepareWriterAsync(member, token).ConfigureAwait(false);
        var repointed = new List<string>();
        foreach (var follower in followers)
        {
            try
            {
                operations.Configure(follower, member);
                if (operations.Servers[follower].RunningPid() is not null)
                {
                    await operations.ReloadAsync(follower, token).ConfigureAwait(false);
                }
                repointed.Add(follower);
            }
            catch (DatabaseException ex)
            {
                repointed.Add($"{follower} (not repointed: {ex.Message})");
            }
        }
        if (synchronousNames.Length > 0)
        {
            operations.Configure(member, member, synchronousNames);
            await operations.ReloadAsync(member, token).ConfigureAwait(false);
        }
        return $"'{member}' promoted (pg_promote); slots created for the others; " +
            $"synchronous_standby_names = '{synchronousNames}'; now streaming from it: {(repointed.Count == 0 ? "none" : string.Join(", ", repointed))}";
    }

    public Task<string> RejoinAsync(string member, string writer, CancellationToken token) => operations.RejoinAsync(member, writer, token);

    public async Task SetSynchronousAsync(string writer, string synchronousNames, CancellationToken token)
    {
        operations.Configure(writer, writer, synchronousNames);
        await operations.ReloadAsync(writer, token).ConfigureAwait(false);
    }

    public async Task<long> StopCleanlyAsync(string member, CancellationToken token)
    {
        var server = operations.Servers[member];
        ClusterOperations.EnsureLocal(server.Member);
        await server.StopAsync(immediate: false, token).ConfigureAwait(false);
        var control = await server.ReadControlDataAsync(token).ConfigureAwait(false);
        if (!control.ShutDownCleanly)
        {
            throw new DatabaseException($"'{member}' did not shut down cleanly (cluster state: {control.ClusterState})");
        }
        return control.CheckpointLsn;
    }

    public Task StartAsync(string member, CancellationToken token) => operations.Servers[member].StartAsync(token);
}
