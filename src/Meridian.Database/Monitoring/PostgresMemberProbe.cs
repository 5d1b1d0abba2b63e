using Meridian.Database.Sql;
using Meridian.Topology.Model;
using Npgsql;

namespace Meridian.Database.Monitoring;

/// <summary>Probes a member over SQL: role, timeline, WAL positions, and on a primary the per-replica lag.</summary>
internal sealed class PostgresMemberProbe(DatabaseCredentials credentials, TimeProvider time, TimeSpan timeout) : IMemberProbe
{
    private const string StateSql = """
        SELECT pg_is_in_recovery(),
               CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint END,
               pg_wal_lsn_diff(pg_last_wal_receive_lsn(), '0/0')::bigint,
               pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint,
               CASE WHEN pg_is_in_recovery()
                    THEN coalesce((SELECT received_tli FROM pg_stat_wal_receiver), (SELECT timeline_id FROM pg_control_checkpoint()))
                    ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END
        """;

    // Byte lags against the primary's current position; seconds only while bytes are outstanding (see ReplicationLag).
    private const string ReplicationSql = """
        SELECT application_name, state, sync_state,
               coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), write_lsn), 0)::bigint,
               coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), flush_lsn), 0)::bigint,
               coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::bigint,
               extract(epoch FROM write_lag)::float8, extract(epoch FROM flush_lag)::float8, extract(epoch FROM replay_lag)::float8
        FROM pg_stat_replication ORDER BY application_name
        """;

    public async Task<MemberObservation> ProbeAsync(DatabaseMemberConfig member, CancellationToken token)
    {
        var now = time.GetUtcNow();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
        deadline.CancelAfter(timeout);
        try
        {
            await using var connection = await AdminSql.OpenAsync(member, credentials, deadline.Token,
                timeoutSeconds: (int)Math.Ceiling(timeout.TotalSeconds)).ConfigureAwait(false);
            bool inRecovery;
            long? current, received, replayed;
            int? timeline;
            await using (var command = new NpgsqlCommand(StateSql, connection))
            await using (var reader = await command.ExecuteReaderAsync(deadline.Token).ConfigureAwait(false))
            {
                await reader.ReadAsync(deadline.Token).ConfigureAwait(false);
                inRecovery = reader.GetBoolean(0);
                current = reader.IsDBNull(1) ? null : reader.GetInt64(1);
                received = reader.IsDBNull(2) ? null : reader.GetInt64(2);
                replayed = reader.IsDBNull(3) ? null : reader.GetInt64(3);
                timeline = reader.IsDBNull(4) ? null : reader.GetInt32(4);
            }
            var replication = inRecovery ? [] : await ReadReplicationAsync(connection, deadline.Token).ConfigureAwait(false);
            var position = inRecovery ? Max(received, replayed) : current;
            return new MemberObservation(member.Name, now, true, null, inRecovery, timeline, position, received, replayed, replication);
        }
        catch (DatabaseException ex)
        {
            return MemberObservation.Unreachable(member.Name, now, ex.Message);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException && !token.IsCancellationRequested)
        {
            return MemberObservation.Unreachable(member.Name, now, ex is OperationCanceledException
                ? $"member '{member.Name}' at {member.Listen}: no answer within {timeout.TotalMilliseconds:0} ms"
                : AdminSql.Describe(member, credentials, ex));
        }
    }

    private static async Task<IReadOnlyList<ReplicationLag>> ReadReplicationAsync(NpgsqlConnection connection, CancellationToken token)
    {
        var rows = new List<ReplicationLag>();
        await using var command = new NpgsqlCommand(ReplicationSql, connection);
        await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        while (await reader.ReadAsync(token).ConfigureAwait(false))
        {
            long write = reader.GetInt64(3), flush = reader.GetInt64(4), replay = reader.GetInt64(5);
            rows.Add(new ReplicationLag(
                reader.GetString(0),
                reader.IsDBNull(1) ? "" : reader.GetString(1),
                reader.IsDBNull(2) ? "" : reader.GetString(2),
                write, flush, replay,
                Seconds(reader, 6, write), Seconds(reader, 7, flush), Seconds(reader, 8, replay)));
        }
        return rows;
    }

    /// <summary>0 when nothing is outstanding; the server's lag column otherwise (null until it has measured one).</summary>
    private static double? Seconds(NpgsqlDataReader reader, int column, long bytes) =>
        bytes <= 0 ? 0 : reader.IsDBNull(column) ? null : reader.GetDouble(column);

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
