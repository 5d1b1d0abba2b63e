using System.Globalization;
using Meridian.Database.Binaries;
using Meridian.Database.Processes;
using Meridian.Database.Servers;
using Meridian.Database.Sql;
using Meridian.Topology.Model;

namespace Meridian.Database.Setup;

/// <summary>
/// The PostgreSQL work on a cluster whose data directories are local: initdb, base backups, replication slots,
/// member configuration, rewinding a former primary. Set-up and failover both use these.
/// </summary>
internal sealed class ClusterOperations
{
    private static readonly TimeSpan LongTimeout = TimeSpan.FromMinutes(10);

    public ClusterOperations(DatabaseClusterConfig cluster, PostgresBinaries binaries)
    {
        Cluster = cluster;
        Binaries = binaries;
        Servers = cluster.Members.ToDictionary(m => m.Name, m => new LocalServer(m, binaries), StringComparer.Ordinal);
    }

    public DatabaseClusterConfig Cluster { get; }

    public PostgresBinaries Binaries { get; }

    public IReadOnlyDictionary<string, LocalServer> Servers { get; }

    public DatabaseCredentials Credentials => Cluster.Credentials;

    public string Field(string member, string key) => $"databases.{Cluster.Name}.members.{member}.{key}";

    /// <summary><c>FIRST 1 (a, b)</c> over the synchronous members other than the writer; empty when none.</summary>
    public string SynchronousNamesFor(string writer)
    {
        var names = Cluster.Members.Where(m => m.Synchronous && m.Name != writer).Select(m => m.Name).ToList();
        return names.Count == 0 ? "" : $"FIRST 1 ({string.Join(", ", names)})";
    }

    /// <summary>Writes the member's meridian.conf: the writer as primary, everyone else streaming from the writer.</summary>
    public void Configure(string member, string writer, string? synchronousNames = null)
    {
        var config = Cluster.FindMember(member)!;
        EnsureLocal(config);
        var upstream = member == writer ? null : Cluster.FindMember(writer)!;
        ServerConfigFiles.Write(config.DataDir, config, Credentials, upstream, upstream is null ? synchronousNames ?? SynchronousNamesFor(writer) : "");
    }

    public async Task InitPrimaryAsync(string member, CancellationToken token)
    {
        var server = Servers[member];
        var passwordFile = Path.Combine(Path.GetTempPath(), $"meridian-pw-{Guid.NewGuid():N}");
        try
        {
            ServerConfigFiles.WriteOwned(passwordFile, Credentials.Password + "\n");
            await CommandRunner.RunCheckedAsync($"initdb for member '{member}'", Binaries.Initdb,
                ["-D", server.DataDir, "-U", Credentials.User, $"--pwfile={passwordFile}", "-A", "scram-sha-256", "-E", "UTF8", "--no-locale", "--no-instructions"],
                LongTimeout, token: token).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(passwordFile);
        }
        ServerConfigFiles.WriteHba(server.DataDir, Credentials);
        Configure(member, member, synchronousNames: ""); // set-up turns synchronous replication on once the standbys exist
    }

    /// <summary>Replication role, application database and a slot per other member, on the writer; idempotent.</summary>
    public async Task PrepareWriterAsync(string writer, CancellationToken token)
    {
        var config = Cluster.FindMember(writer)!;
        await using var connection = await AdminSql.OpenAsync(config, Credentials, token, timeoutSeconds: 5).ConfigureAwait(false);
        var repl = Credentials.ReplicationUser;
        await AdminSql.ExecuteAsync(connection,
            $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{repl}') THEN CREATE ROLE {repl} WITH REPLICATION LOGIN; END IF; END $$", token).ConfigureAwait(false);
        await AdminSql.ExecuteAsync(connection, $"ALTER ROLE {repl} WITH REPLICATION LOGIN PASSWORD '{Credentials.ReplicationPassword}'", token).ConfigureAwait(false);
        if (await AdminSql.ScalarAsync<int?>(connection, "SELECT 1 FROM pg_database WHERE datname = $1", token, Cluster.Database).ConfigureAwait(false) is null)
        {
            await AdminSql.ExecuteAsync(connection, $"CREATE DATABASE {Cluster.Database}", token).ConfigureAwait(false);
        }
        foreach (var other in Cluster.Members.Where(m => m.Name != writer))
        {
            await EnsureSlotAsync(connection, other.Name, token).ConfigureAwait(false);
        }
        // The writer's own slot (left from when it was a replica) would hold WAL forever.
        await AdminSql.ExecuteAsync(connection,
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active", token, writer).ConfigureAwait(false);
    }

    public static Task EnsureSlotAsync(Npgsql.NpgsqlConnection connection, string slot, CancellationToken token) =>
        AdminSql.ExecuteAsync(connection,
            "SELECT pg_create_physical_replication_slot($1, true) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)",
            token, slot);

    /// <summary>pg_basebackup of the writer into the member's (empty) data directory, streaming through its slot.</summary>
    public async Task BaseBackupAsync(string member, string writer, CancellationToken token)
    {
        var server = Servers[member];
        var source = Cluster.FindMember(writer)!;
        var environment = new Dictionary<string, string> { ["PGPASSWORD"] = Credentials.ReplicationPassword, ["PGCONNECT_TIMEOUT"] = "5" };
        await CommandRunner.RunCheckedAsync($"base backup of member '{member}' from '{writer}' ({source.Listen})", Binaries.PgBasebackup,
            ["-h", source.Listen.Address.ToString(), "-p", source.Listen.Port.ToString(CultureInfo.InvariantCulture), "-U", Credentials.ReplicationUser,
             "-D", server.DataDir, "-X", "stream", "-S", member, "-c", "fast", "-w", "--no-sync"],
            LongTimeout, environment, token).ConfigureAwait(false);
        // --no-sync above: one sync of the whole folder here is faster than per-file fsyncs.
        await CommandRunner.RunAsServerAsync("sync", ["-f", server.DataDir], TimeSpan.FromMinutes(2), token: token).ConfigureAwait(false);
        Configure(member, writer);
    }

    /// <summary>
    /// Makes a former primary (or a replica that diverged) a replica of <paramref name="writer"/>: stop it, pg_rewind from
    /// the writer, reconfigure, start. When the rewind fails the data directory is rebuilt with a base backup.
    /// Returns what was done, for the event log.
    /// </summary>
    public async Task<string> RejoinAsync(string member, string writer, CancellationToken token)
    {
        var server = Servers[member];
        await server.StopAsync(immediate: false, token).ConfigureAwait(false);
        await using (var connection = await AdminSql.OpenAsync(Cluster.FindMember(writer)!, Credentials, token, timeoutSeconds: 5).ConfigureAwait(false))
        {
            await EnsureSlotAsync(connection, member, token).ConfigureAwait(false);
        }
        string how;
        var rewind = await CommandRunner.RunAsServerAsync(Binaries.PgRewind,
            ["-D", server.DataDir, $"--source-server={ServerConfigFiles.AdminConnInfo(Cluster.FindMember(writer)!, Credentials)}"],
            LongTimeout, token: token).ConfigureAwait(false);
        if (rewind.ExitCode == 0)
        {
            how = rewind.Output.Contains("no rewind required", StringComparison.Ordinal) ? "no rewind was needed" : "rewound with pg_rewind";
            Configure(member, writer);
        }
        else
        {
            // A rewind that failed may have left the folder half-copied: rebuild it from the writer.
            Directory.Delete(server.DataDir, recursive: true);
            await DataDirectories.CreateAsync(server.DataDir, Field(member, "data_dir"), token).ConfigureAwait(false);
            await BaseBackupAsync(member, writer, token).ConfigureAwait(false);
            how = $"pg_rewind failed ({rewind.Tail(2)}), rebuilt with pg_basebackup";
        }
        await server.StartAsync(token).ConfigureAwait(false);
        return how;
    }

    /// <summary>Throws for an adopted member without a data directory on this machine (file-level work is impossible).</summary>
    public static void EnsureLocal(DatabaseMemberConfig member)
    {
        if (member.DataDir.Length == 0 || !Directory.Exists(member.DataDir))
        {
            throw new DatabaseException($"member '{member.Name}' has no data directory on this machine (adopted without data_dir); Meridian cannot stop, rewind or reconfigure it");
        }
    }

    /// <summary>Asks a running server to re-read its configuration (after <see cref="Configure"/>).</summary>
    public Task ReloadAsync(string member, CancellationToken token) =>
        CommandRunner.RunCheckedAsync($"reload of member '{member}'", Binaries.PgCtl, ["-D", Servers[member].DataDir, "reload"], TimeSpan.FromSeconds(30), token: token);
}
