using System.Net.Sockets;
using Meridian.Database.Failover;
using Meridian.Database.Processes;
using Meridian.Database.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Database.Tests.Integration;

/// <summary>Bad input: clear errors, and no half-initialised cluster left behind without saying so.</summary>
public sealed class SetupErrorTests
{
    [Fact]
    public async Task Start_PortInUse_ErrorNamesFieldAndNothingCreated()
    {
        await using var test = TestCluster.Plan();
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(test.Member("replica").Listen);
        squatter.Listen();

        var error = await Assert.ThrowsAsync<DatabaseException>(test.StartAsync);
        Assert.Contains($"databases.test-db.members.replica.listen: {test.Member("replica").Listen} is already in use", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(test.Root));
    }

    [Fact]
    public async Task Start_BinDirWithoutPostgres_ErrorSaysWhatIsMissing()
    {
        await using var test = TestCluster.Plan();
        test.With(c => c with { BinDir = test.Root });
        var error = await Assert.ThrowsAsync<DatabaseException>(test.StartAsync);
        Assert.Contains($"databases.test-db.bin_dir: {test.Root} has no PostgreSQL server programs (initdb, pg_ctl", error.Message);
    }

    [Fact]
    public async Task Start_DataDirOwnedBySomeoneElse_Refused()
    {
        await using var test = TestCluster.Plan();
        var dir = test.Member("primary").DataDir;
        Directory.CreateDirectory(dir);
        var owner = ServerUser.IsRoot ? "nobody" : null;
        if (owner is null)
        {
            return; // not root: the folder is necessarily ours; the refusal needs another account to own it
        }
        await Meridian.Database.Processes.CommandRunner.RunAsync("chown", [owner, dir], TimeSpan.FromSeconds(5), null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<DatabaseException>(test.StartAsync);
        Assert.Contains($"{dir} is owned by 'nobody', but the servers run as 'postgres'", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public async Task Start_ReplicaDirNotReachableByServerAccount_PrimaryStoppedAndRemovedAndSaysSo()
    {
        await using var test = TestCluster.Plan();
        if (!ServerUser.IsRoot || OperatingSystem.IsWindows())
        {
            return; // the 0700 parent only bites when the servers run as another account
        }
        var locked = Path.Combine(test.Root, "locked");
        Directory.CreateDirectory(locked);
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        test.With(c => c with { Members = [c.Members[0], c.Members[1] with { DataDir = Path.Combine(locked, "replica") }] });

        var error = await Assert.ThrowsAsync<DatabaseException>(test.StartAsync);
        Assert.Contains("cannot enter", error.Message);
        Assert.Contains("Cleaned up: stopped primary", error.Message);
        Assert.False(Directory.Exists(test.Member("primary").DataDir));
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(test.Member("primary").Listen); // the port is free again: the primary is not running
    }

    [Fact]
    public async Task Adopt_WrongPassword_ErrorSaysAuthenticationFailed()
    {
        await using var test = await TestCluster.Plan().StartAsync();
        var wrong = test.Config with { Adopt = true, Credentials = test.Config.Credentials with { Password = "wrong" } };
        var error = await Assert.ThrowsAsync<DatabaseException>(() =>
            DatabaseCluster.StartAsync(wrong, TimeProvider.System, new DatabaseEventLog(), NullLogger.Instance, stopServersOnDispose: false, CancellationToken.None));
        Assert.Contains("no member accepts writes", error.Message);
        Assert.Contains("password authentication failed for user 'admin'", error.Message);
    }

    [Fact]
    public async Task Start_ExistingDataDirectories_ResumedNotRecreated()
    {
        await using var test = await TestCluster.Plan().StartAsync();
        await test.ExecuteAsync("primary", "CREATE TABLE kept (id int); INSERT INTO kept VALUES (1)");
        await test.Cluster!.DisposeAsync();

        await using var again = await DatabaseCluster.StartAsync(test.Config, TimeProvider.System, new DatabaseEventLog(), NullLogger.Instance, stopServersOnDispose: true, CancellationToken.None);
        Assert.Equal("primary", again.Controller.Writer);
        Assert.Equal(FailoverState.Healthy, again.Controller.State);
        Assert.Equal(1L, await test.ScalarAsync<long>("primary", "SELECT count(*) FROM kept"));
    }
}
