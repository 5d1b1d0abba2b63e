using System.Net;
using System.Net.Sockets;
using Meridian.Database.Failover;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Meridian.Database.Tests.Support;

/// <summary>
/// A real PostgreSQL cluster for one test: its own 127.0.0.x address (x in 100..199, never the demo's), free ports,
/// data directories under /var/tmp (the postgres account must traverse them; /root is 0700), all removed on dispose,
/// servers stopped even when the test failed.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public const string Password = "t3st-pw";

    private TestCluster(string root, DatabaseClusterConfig config)
    {
        Root = root;
        Config = config;
    }

    public string Root { get; }

    public DatabaseClusterConfig Config { get; private set; }

    public DatabaseCluster? Cluster { get; private set; }

    public DatabaseEventLog Events { get; } = new();

    public FailoverController Controller => Cluster!.Controller;

    /// <summary>A config for members given as (name, region, synchronous); the first is the primary.</summary>
    public static TestCluster Plan(params (string Name, string Region, bool Synchronous)[] members) => Plan(members, null);

    public static TestCluster Plan((string Name, string Region, bool Synchronous)[] members, DatabaseFailoverConfig? failover)
    {
        var root = Path.Combine("/var/tmp", "meridian-db-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var address = IPAddress.Parse($"127.0.0.{Random.Shared.Next(100, 200)}");
        var config = new DatabaseClusterConfig
        {
            Name = "test-db",
            Database = "app",
            Credentials = new DatabaseCredentials("admin", Password, "repl", "r3pl-pw"),
            Failover = failover ?? new DatabaseFailoverConfig
            {
                MaxLagOnFailover = 1024 * 1024,
                UnhealthyFor = TimeSpan.FromSeconds(1.5),
                CheckInterval = TimeSpan.FromMilliseconds(500),
            },
            Members = members.Select((m, i) => new DatabaseMemberConfig
            {
                Name = m.Name,
                Region = m.Region,
                Listen = new IPEndPoint(address, FreePort(address)),
                DataDir = Path.Combine(root, m.Name),
                InitialRole = i == 0 ? DatabaseMemberRole.Primary : DatabaseMemberRole.Replica,
                Synchronous = m.Synchronous,
            }).ToArray(),
        };
        return new TestCluster(root, config);
    }

    public static TestCluster Plan() => Plan(("primary", "us-east-1", false), ("replica", "eu-west-1", false));

    public TestCluster With(Func<DatabaseClusterConfig, DatabaseClusterConfig> change)
    {
        Config = change(Config);
        return this;
    }

    public async Task<TestCluster> StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Cluster = await DatabaseCluster.StartAsync(Config, TimeProvider.System, Events, Environment.GetEnvironmentVariable("MERIDIAN_DB_TEST_LOG") == "1" ? new StderrLogger() : NullLogger.Instance, stopServersOnDispose: true, timeout.Token);
        return this;
    }

    public DatabaseMemberConfig Member(string name) => Config.FindMember(name)!;

    public NpgsqlConnection Connect(string member, int timeoutSeconds = 2) =>
        new(new NpgsqlConnectionStringBuilder
        {
            Host = Member(member).Listen.Address.ToString(),
            Port = Member(member).Listen.Port,
            Username = Config.Credentials.User,
            Password = Config.Credentials.Password,
            Database = Config.Database,
            Timeout = timeoutSeconds,
            Pooling = false,
        }.ConnectionString);

    public async Task ExecuteAsync(string member, string sql)
    {
        await using var connection = Connect(member);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string member, string sql)
    {
        await using var connection = Connect(member);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> and the cluster's state after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or DatabaseException or InvalidOperationException)
            {
                last = ex;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}; state {Cluster?.Controller.State} ({Cluster?.Controller.StateReason}); last error: {last?.Message}\nevents:\n{string.Join("\n", Events.Snapshot())}");
    }

    public Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) => WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);

    /// <summary>SIGKILL to a member's postmaster: a crash.</summary>
    public void Kill(string member) => Assert.True(Cluster!.Server(member)!.Kill(), $"member {member} was not running");

    public Task StartServerAsync(string member) => Cluster!.Server(member)!.StartAsync(CancellationToken.None);

    private static int FreePort(IPAddress address)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
        // Servers a test started by hand, or a set-up that failed half-way, are stopped too.
        foreach (var member in Config.Members)
        {
            var pidFile = Path.Combine(member.DataDir, "postmaster.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid)
                && File.Exists($"/proc/{pid}/comm") && File.ReadAllText($"/proc/{pid}/comm").Trim() == "postgres")
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill();
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
                {
                    // Already gone.
                }
            }
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A child process still writing; /var/tmp is cleaned eventually.
        }
    }
}
