using System.Net;
using System.Net.Sockets;
using Meridian.Cli.Tests.Support;

namespace Meridian.Cli.Tests.EndToEnd;

/// <summary>
/// `meridian run --roles db,control` on a topology with a databases: section sets up real PostgreSQL servers;
/// `meridian db status` shows them and `meridian db switchover --to eu-west-1` moves the writer.
/// </summary>
public sealed class DatabaseCliTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine("/var/tmp", "meridian-db-cli-tests", Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task RunDbRole_StatusAndSwitchover_ThroughCli()
    {
        Directory.CreateDirectory(_root);
        var address = IPAddress.Parse($"127.0.0.{Random.Shared.Next(100, 200)}");
        int primaryPort = FreePort(address), replicaPort = FreePort(address);
        var controlPort = FreePorts.Tcp();
        var topology = Path.Combine(_root, "db.yaml");
        await File.WriteAllTextAsync(topology, $"""
            regions:
              us-east-1: {"{"} address: 127.0.0.11 {"}"}
              eu-west-1: {"{"} address: 127.0.0.12 {"}"}
            control: {"{"} listen: 127.0.0.1:{controlPort} {"}"}
            databases:
              app-db:
                failover: {"{"} unhealthy_for: 2s, check_interval: 500ms {"}"}
                members:
                  primary: {"{"} role: primary, region: us-east-1, listen: "{address}:{primaryPort}", data_dir: {_root}/primary {"}"}
                  replica: {"{"} region: eu-west-1, listen: "{address}:{replicaPort}", data_dir: {_root}/replica {"}"}
            """);
        var control = $"http://127.0.0.1:{controlPort}";
        await using var run = CliProcess.Start("run", "--config", topology, "--roles", "db,control");
        await Eventually.Until(async () => (await CliProcess.RunAsync("db", "status", "--control", control)).ExitCode == 0,
            TimeSpan.FromSeconds(90), $"the control API answering db status\n{run.Stderr}");

        CliResult status = null!;
        await Eventually.Until(async () => (status = await CliProcess.RunAsync("db", "status", "--control", control)).Stdout.Contains("accepts writes"),
            TimeSpan.FromSeconds(30), "a healthy cluster");
        Assert.Contains("cluster app-db  state Healthy  writer primary", status.Stdout);
        Assert.Matches(@"replica\s+eu-west-1\s+\S+\s+replica", status.Stdout);

        var switchover = await CliProcess.RunAsync("db", "switchover", "--to", "eu-west-1", "--control", control);
        Assert.True(switchover.ExitCode == 0, switchover.ToString());
        Assert.Contains("switchover done: primary -> replica", switchover.Stdout);

        status = await CliProcess.RunAsync("db", "status", "--control", control);
        Assert.Contains("writer replica", status.Stdout);
        Assert.Contains("last switchover", status.Stdout);

        // Health-check targets for db-writer / db-reader records.
        using var http = new HttpClient { BaseAddress = new Uri(control) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/db/check/app-db/replica/writer")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/v1/db/check/app-db/primary/writer")).StatusCode);
        await Eventually.Until(async () => (await http.GetAsync("/v1/db/check/app-db/primary/reader")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "the former writer readable as a replica");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/v1/db/check/app-db/nobody/reader")).StatusCode);

        var refused = await CliProcess.RunAsync("db", "switchover", "--to", "mars-1", "--control", control);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("'mars-1' is neither a member nor a region", refused.Stderr);
    }

    private static int FreePort(IPAddress address)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>`meridian run` leaves the servers running when it stops (a database outlives its orchestrator): stop them here.</summary>
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var dir in new[] { "primary", "replica" }.Select(m => Path.Combine(_root, m)))
        {
            var pidFile = Path.Combine(dir, "postmaster.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid)
                && File.Exists($"/proc/{pid}/comm") && File.ReadAllText($"/proc/{pid}/comm").Trim() == "postgres")
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
