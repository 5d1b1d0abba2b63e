using System.Net;
using Meridian.Database.Binaries;
using Meridian.Database.Servers;
using Meridian.Topology.Model;

namespace Meridian.Database.Tests.Servers;

public sealed class ServerFilesTests
{
    [Theory]
    [InlineData("0/0", 0L)]
    [InlineData("16/B374D848", 0x16_B374D848L)]
    [InlineData("0/40C0D18", 0x40C0D18L)]
    public void Lsn_ParseAndFormat_RoundTrip(string text, long value)
    {
        Assert.Equal(value, Lsn.Parse(text));
        Assert.Equal(text, Lsn.Format(value));
    }

    [Fact]
    public void Lsn_NoSlash_Throws() => Assert.Throws<FormatException>(() => Lsn.Parse("12345"));

    [Fact]
    public void ControlData_Parse_ReadsStateTimelineAndCheckpoint()
    {
        const string output = """
            pg_control version number:            1300
            Database cluster state:               shut down in recovery
            Latest checkpoint location:           0/3000060
            Latest checkpoint's TimeLineID:       2
            """;
        var data = ControlData.Parse(output);
        Assert.Equal(("shut down in recovery", 2, 0x3000060L, true), (data.ClusterState, data.Timeline, data.CheckpointLsn, data.ShutDownCleanly));
        Assert.False(ControlData.Parse("Database cluster state: in production").ShutDownCleanly);
    }

    [Fact]
    public void Locate_ConfiguredFolderWithoutPrograms_ErrorNamesFieldAndMissingPrograms()
    {
        var empty = Directory.CreateTempSubdirectory("meridian-bin-").FullName;
        try
        {
            var error = Assert.Throws<DatabaseException>(() => PostgresBinaries.Locate(empty, "databases.x.bin_dir"));
            Assert.Equal($"databases.x.bin_dir: {empty} has no PostgreSQL server programs (initdb, pg_ctl, postgres, pg_basebackup, pg_rewind, pg_controldata missing)", error.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void Write_Replica_ConnInfoSlotAndStandbySignal_PrimaryHasNone()
    {
        var dir = Directory.CreateTempSubdirectory("meridian-conf-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "postgresql.conf"), "# initdb's\n");
            var primary = Member("primary", "127.0.0.150", 6000);
            var replica = Member("replica", "127.0.0.151", 6001);
            var credentials = new DatabaseCredentials("admin", "pw", "repl", "rpw");

            ServerConfigFiles.Write(dir, replica, credentials, primary, "");
            var conf = File.ReadAllText(Path.Combine(dir, "meridian.conf"));
            Assert.Contains("listen_addresses = '127.0.0.151'", conf);
            Assert.Contains("port = 6001", conf);
            Assert.Contains("primary_conninfo = 'host=127.0.0.150 port=6000 user=repl password=rpw application_name=replica connect_timeout=2'", conf);
            Assert.Contains("primary_slot_name = 'replica'", conf);
            Assert.Contains("wal_log_hints = on", conf);
            Assert.True(File.Exists(Path.Combine(dir, "standby.signal")));
            Assert.Single(File.ReadAllLines(Path.Combine(dir, "postgresql.conf")), l => l.StartsWith("include_if_exists = 'meridian.conf'", StringComparison.Ordinal));

            ServerConfigFiles.Write(dir, replica, credentials, upstream: null, "FIRST 1 (standby)");
            conf = File.ReadAllText(Path.Combine(dir, "meridian.conf"));
            Assert.Contains("synchronous_standby_names = 'FIRST 1 (standby)'", conf);
            Assert.Contains("primary_conninfo = ''", conf);
            Assert.False(File.Exists(Path.Combine(dir, "standby.signal")));
            Assert.Single(File.ReadAllLines(Path.Combine(dir, "postgresql.conf")), l => l.StartsWith("include_if_exists", StringComparison.Ordinal)); // not added twice
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static DatabaseMemberConfig Member(string name, string address, int port) => new()
    {
        Name = name,
        Region = "r",
        Listen = new IPEndPoint(IPAddress.Parse(address), port),
        DataDir = "/unused",
    };
}
