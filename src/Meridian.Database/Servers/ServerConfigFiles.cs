using System.Globalization;
using System.Text;
using Meridian.Database.Processes;
using Meridian.Topology.Model;

namespace Meridian.Database.Servers;

/// <summary>
/// The files Meridian owns inside a data directory. Member-specific settings live in <c>meridian.conf</c>, included
/// at the end of postgresql.conf, and are rewritten after every initdb, base backup and rewind (those copy the
/// source's files, so a copied meridian.conf would carry the wrong address and role).
/// </summary>
internal static class ServerConfigFiles
{
    public const string MeridianConf = "meridian.conf";
    public const string StandbySignal = "standby.signal";
    private const string IncludeLine = "include_if_exists = 'meridian.conf'  # added by Meridian: per-member settings";

    /// <summary>Settings every member gets (replication-ready and rewindable).</summary>
    private static readonly string[] Common =
    [
        "unix_socket_directories = ''      # TCP only: members sharing a port number must not share a socket file",
        "wal_level = replica",
        "max_wal_senders = 10",
        "max_replication_slots = 10",
        "hot_standby = on",
        "hot_standby_feedback = on",
        "wal_log_hints = on                # pg_rewind needs it to rejoin a former primary",
        "wal_receiver_status_interval = 1s # replicas report positions every second: lag figures stay current",
        "wal_sender_timeout = 10s",
        "wal_receiver_timeout = 10s",
        "wal_keep_size = 256MB",
        "shared_buffers = 32MB",
        "max_connections = 60",
        "logging_collector = off",
        "log_line_prefix = '%m [%p] '",
    ];

    public static void EnsureInclude(string dataDir)
    {
        var conf = Path.Combine(dataDir, "postgresql.conf");
        var text = File.ReadAllText(conf);
        if (!text.Contains(IncludeLine, StringComparison.Ordinal))
        {
            WriteOwned(conf, text + Environment.NewLine + IncludeLine + Environment.NewLine);
        }
    }

    /// <summary>Writes meridian.conf: address, role and upstream (null for the primary), and standby.signal to match.</summary>
    public static void Write(string dataDir, DatabaseMemberConfig member, DatabaseCredentials credentials,
        DatabaseMemberConfig? upstream, string synchronousStandbyNames)
    {
        var text = new StringBuilder("# Written by Meridian; rewritten on every role change. Do not edit.\n");
        text.Append(CultureInfo.InvariantCulture, $"listen_addresses = '{member.Listen.Address}'\n");
        text.Append(CultureInfo.InvariantCulture, $"port = {member.Listen.Port}\n");
        foreach (var line in Common)
        {
            text.Append(line).Append('\n');
        }
        text.Append(CultureInfo.InvariantCulture, $"synchronous_standby_names = '{synchronousStandbyNames}'\n");
        if (upstream is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"primary_conninfo = '{ReplicationConnInfo(upstream, credentials, member.Name)}'\n");
            text.Append(CultureInfo.InvariantCulture, $"primary_slot_name = '{member.Name}'\n");
            text.Append("recovery_target_timeline = 'latest'\n");
        }
        else
        {
            text.Append("primary_conninfo = ''\nprimary_slot_name = ''\n");
        }
        EnsureInclude(dataDir);
        WriteOwned(Path.Combine(dataDir, MeridianConf), text.ToString());
        var signal = Path.Combine(dataDir, StandbySignal);
        if (upstream is not null)
        {
            WriteOwned(signal, "");
        }
        else
        {
            File.Delete(signal);
        }
    }

    /// <summary>Password authentication for everyone (no trust); replication only for the two accounts Meridian uses.</summary>
    public static void WriteHba(string dataDir, DatabaseCredentials credentials)
    {
        var text = $"""
            # Written by Meridian.
            # TYPE  DATABASE     USER  ADDRESS    METHOD
            host    all          all   0.0.0.0/0  scram-sha-256
            host    all          all   ::/0       scram-sha-256
            host    replication  {credentials.ReplicationUser}  0.0.0.0/0  scram-sha-256
            host    replication  {credentials.ReplicationUser}  ::/0       scram-sha-256
            host    replication  {credentials.User}  0.0.0.0/0  scram-sha-256
            host    replication  {credentials.User}  ::/0       scram-sha-256

            """;
        WriteOwned(Path.Combine(dataDir, "pg_hba.conf"), text);
    }

    /// <summary>A libpq connection string for streaming from <paramref name="upstream"/>; application_name is the member, as synchronous_standby_names expects.</summary>
    public static string ReplicationConnInfo(DatabaseMemberConfig upstream, DatabaseCredentials credentials, string applicationName) =>
        $"host={upstream.Listen.Address} port={upstream.Listen.Port} user={credentials.ReplicationUser} " +
        $"password={credentials.ReplicationPassword} application_name={applicationName} connect_timeout=2";

    /// <summary>libpq connection string as the superuser (pg_rewind's source).</summary>
    public static string AdminConnInfo(DatabaseMemberConfig member, DatabaseCredentials credentials) =>
        $"host={member.Listen.Address} port={member.Listen.Port} user={credentials.User} password={credentials.Password} dbname=postgres connect_timeout=2";

    /// <summary>Temp file, fsync, rename, then hand it to the server account (it rewrites these files itself on rewind).</summary>
    public static void WriteOwned(string path, string text)
    {
        var temp = path + ".meridian-tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        ServerUser.Own(temp);
        File.Move(temp, path, overwrite: true);
    }
}
