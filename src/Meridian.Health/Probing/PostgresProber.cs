using Meridian.Topology.Model;
using Npgsql;

namespace Meridian.Health;

/// <summary>
/// PostgreSQL probe: opens a fresh connection (no pool: a pooled connection would hide a server that stopped
/// accepting new ones) and asks the server's role. <c>role: primary</c> passes only for a writable primary — not in
/// recovery and not <c>default_transaction_read_only</c> — so a fenced old primary fails it and a
/// <c>db-writer</c> record never points at it; <c>role: standby</c> passes only in recovery.
/// </summary>
internal sealed class PostgresProber(HealthCheckConfig check, TimeProvider time) : IHealthProber
{
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder
    {
        Host = check.Host,
        Port = check.Port,
        Database = check.PostgresDatabase,
        Username = check.PostgresUser,
        Password = check.PostgresPassword,
        Pooling = false,
        // Npgsql's own timeouts (whole seconds) only back up the monitor's token, which enforces check.Timeout.
        Timeout = Math.Max(1, (int)Math.Ceiling(check.Timeout.TotalSeconds)),
        CommandTimeout = Math.Max(1, (int)Math.Ceiling(check.Timeout.TotalSeconds)),
        ApplicationName = "meridian-health",
    }.ConnectionString;

    public async ValueTask<ProbeResult> ProbeAsync(string location, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery(), current_setting('default_transaction_read_only')", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var inRecovery = reader.GetBoolean(0);
        var readOnly = string.Equals(reader.GetString(1), "on", StringComparison.OrdinalIgnoreCase);
        var latency = time.GetElapsedTime(started);
        var role = inRecovery ? "standby (in recovery)" : readOnly ? "read-only primary (fenced)" : "writable primary";
        return check.PostgresRole switch
        {
            PostgresRole.Primary when inRecovery || readOnly => ProbeResult.Fail($"PostgreSQL {role}, primary required", latency),
            PostgresRole.Standby when !inRecovery => ProbeResult.Fail($"PostgreSQL {role}, standby required", latency),
            _ => ProbeResult.Pass($"PostgreSQL {role}", latency),
        };
    }
}
