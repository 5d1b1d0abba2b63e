using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Meridian.Database;
using Meridian.Database.Failover;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Meridian.DatabaseBench;

/// <summary>
/// One failover under steady writes: a primary, an in-region standby (synchronous or not) and a cross-region replica
/// on 127.0.0.x (x in 100..199) with free ports; numbered rows are inserted at a fixed rate through the member the
/// cluster names writer (what db-writer resolves to); the primary's postmaster is SIGKILLed; the run measures the
/// time to the first acknowledged write afterwards and counts acknowledged rows missing on the new writer.
/// </summary>
internal sealed class FailoverRun(bool synchronousStandby, int rate, TimeSpan steady)
{
    public sealed record Result(double RtoSeconds, int Acknowledged, int Lost, long LagBytesAtPromotion, string NewWriter, double DetectionSeconds);

    public async Task<Result> RunAsync()
    {
        var root = Path.Combine("/var/tmp", "meridian-db-bench", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var address = IPAddress.Parse($"127.0.0.{Random.Shared.Next(100, 200)}");
        var config = new DatabaseClusterConfig
        {
            Name = "bench-db",
            Failover = new DatabaseFailoverConfig { CheckInterval = TimeSpan.FromSeconds(1), UnhealthyFor = TimeSpan.FromSeconds(3), MaxLagOnFailover = 16 * 1024 * 1024 },
            Members =
            [
                Member("primary", "us-east-1", DatabaseMemberRole.Primary, false),
                Member("standby", "us-east-1", DatabaseMemberRole.Replica, synchronousStandby),
                Member("replica", "eu-west-1", DatabaseMemberRole.Replica, false),
            ],
        };
        DatabaseMemberConfig Member(string name, string region, DatabaseMemberRole role, bool sync) => new()
        {
            Name = name, Region = region, InitialRole = role, Synchronous = sync,
            Listen = new IPEndPoint(address, FreePort(address)), DataDir = Path.Combine(root, name),
        };

        var events = new DatabaseEventLog();
        await using var cluster = await DatabaseCluster.StartAsync(config, TimeProvider.System, events, NullLogger.Instance, stopServersOnDispose: true, CancellationToken.None);
        try
        {
            await ExecuteAsync(config, "primary", "CREATE TABLE rows (id int PRIMARY KEY, at timestamptz DEFAULT now())");
            if (synchronousStandby)
            {
                await WaitAsync(async () => await ScalarAsync(config, "primary", "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'") == 1, "a synchronous standby");
            }
            var acknowledged = new ConcurrentDictionary<int, bool>();
            var clock = Stopwatch.StartNew();
            long killedAtTicks = 0;
            long firstAfterKill = 0;
            var next = 0;
            using var stop = new CancellationTokenSource();
            var interval = TimeSpan.FromSeconds(1.0 / rate);
            var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                NpgsqlConnection? connection = null;
                string? connectedTo = null;
                while (!stop.IsCancellationRequested)
                {
                    var id = Interlocked.Increment(ref next);
                    var due = interval * id;
                    if (due > clock.Elapsed)
                    {
                        await Task.Delay(due - clock.Elapsed);
                    }
                    try
                    {
                        var writer = cluster.Controller.Writer;
                        if (!cluster.Controller.AcceptsWrites)
                        {
                            throw new InvalidOperationException("no writer");
                        }
                        if (connection is null || connectedTo != writer)
                        {
                            if (connection is not null)
                            {
                                await connection.DisposeAsync();
                            }
                            connection = Open(config, writer);
                            connectedTo = writer;
                            await connection.OpenAsync();
                        }
                        await using var insert = new NpgsqlCommand($"INSERT INTO rows (id) VALUES ({id})", connection);
                        await insert.ExecuteNonQueryAsync();
                        acknowledged[id] = true;
                        var killed = Interlocked.Read(ref killedAtTicks);
                        if (killed > 0 && connectedTo != "primary")
                        {
                            Interlocked.CompareExchange(ref firstAfterKill, clock.Elapsed.Ticks, 0);
                        }
                    }
                    catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException or SocketException or TimeoutException)
                    {
                        if (connection is not null)
                        {
                            await connection.DisposeAsync();
                        }
                        connection = null;
                    }
                }
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            })).ToArray();

            await Task.Delay(steady);
            var killTime = clock.Elapsed;
            cluster.Server("primary")!.Kill();
            Interlocked.Exchange(ref killedAtTicks, killTime.Ticks);
            await WaitAsync(() => Task.FromResult(Interlocked.Read(ref firstAfterKill) > 0), "the first write after the kill", TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(1));
            await stop.CancelAsync();
            await Task.WhenAll(workers);

            var newWriter = cluster.Controller.Writer;
            var present = new HashSet<int>();
            await using (var connection = Open(config, newWriter))
            {
                await connection.OpenAsync();
                await using var select = new NpgsqlCommand("SELECT id FROM rows", connection);
                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    present.Add(reader.GetInt32(0));
                }
            }
            var lost = acknowledged.Keys.Count(id => !present.Contains(id));
            var failover = cluster.Controller.LastFailover;
            return new Result((TimeSpan.FromTicks(firstAfterKill) - killTime).TotalSeconds, acknowledged.Count, lost,
                failover?.LagBytes ?? -1, newWriter, failover?.Detection.TotalSeconds ?? -1);
        }
        finally
        {
            await cluster.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    private static NpgsqlConnection Open(DatabaseClusterConfig config, string member) => new(new NpgsqlConnectionStringBuilder
    {
        Host = config.FindMember(member)!.Listen.Address.ToString(),
        Port = config.FindMember(member)!.Listen.Port,
        Username = config.Credentials.User,
        Password = config.Credentials.Password,
        Database = config.Database,
        Timeout = 1,
        Pooling = false,
    }.ConnectionString);

    private static async Task ExecuteAsync(DatabaseClusterConfig config, string member, string sql)
    {
        await using var connection = Open(config, member);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(DatabaseClusterConfig config, string member, string sql)
    {
        await using var connection = Open(config, member);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
            await Task.Delay(50);
        }
    }

    private static int FreePort(IPAddress address)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
