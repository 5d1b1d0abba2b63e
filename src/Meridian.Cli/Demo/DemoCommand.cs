using System.CommandLine;
using Meridian.Balancer;
using Meridian.Cli.Commands;
using Meridian.Dns;
using Meridian.Dns.Clients;
using Meridian.Hosting;
using Meridian.Topology;
using Meridian.Topology.Model;

namespace Meridian.Cli.Demo;

/// <summary>
/// `meridian demo`: the tutorial's architecture on loopback in one process — per region a load balancer with two
/// sample app instances, the GSLB DNS server, two edge locations, health checks and the control API — with a
/// table of what runs where, copy-paste commands and a live status view. Ctrl+C stops everything.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c") { Description = "Topology file (default: the tutorial's two-region topology)" };
        var noLive = new Option<bool>("--no-live") { Description = "Print the status view only when it changes (no screen redraw)" };
        var command = new Command("demo", "Run the tutorial's two-region architecture on loopback") { config, noLive };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(config), parse.GetValue(noLive), token));
        return command;
    }

    public static string DefaultTopology => Path.Combine(AppContext.BaseDirectory, "samples", "two-region.yaml");

    private static async Task<int> RunAsync(string? configPath, bool noLive, CancellationToken token)
    {
        var path = configPath ?? DefaultTopology;
        var result = TopologyLoader.Load(path);
        TopologyReport.WriteDiagnostics(result, Console.Error);
        if (!result.Succeeded)
        {
            Console.Error.WriteLine($"{path}: {result.Errors.Count} error(s); nothing started");
            return ExitCodes.InvalidConfig;
        }

        var topology = result.Config!;
        using var loggers = Logging.Create("text", Microsoft.Extensions.Logging.LogLevel.Warning);
        DemoRunner demo;
        try
        {
            var withDatabase = DemoDatabase.With(topology, Console.Out);
            try
            {
                demo = await DemoRunner.StartAsync(withDatabase, loggers, token);
            }
            catch (Meridian.Database.DatabaseException ex)
            {
                // PostgreSQL is installed but the tier cannot start (a port taken...): the rest of the demo still runs.
                Console.Error.WriteLine($"database tier: off ({ex.Message})");
                demo = await DemoRunner.StartAsync(topology, loggers, token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or DnsStartException or BalancerStartException or GeoDatabaseException or IOException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidConfig;
        }

        await using var _ = demo;
        var host = demo.Host;
        await WaitForHealthyTargetsAsync(host, token);
        var banner = DemoBanner.Render(host, demo.Apps, path);
        Console.WriteLine(banner);
        foreach (var database in host.Databases)
        {
            Console.WriteLine($"database {database.Config.Name}: " + string.Join(", ", database.Config.Members.Select(m => $"{m.Name} {m.Listen} ({m.Region}{(m.Synchronous ? ", synchronous" : "")})")) +
                $"; data in {DemoDatabase.Root}; writer {database.Controller.Writer}. Try `./meridian db status`, `./meridian db switchover --to eu-west-1`.");
        }
        var terminal = !noLive && !Console.IsOutputRedirected;
        var screen = new DemoScreen(host, terminal ? banner : "", DemoNames.Clients(topology));
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(token))
            {
                screen.Draw(terminal);
            }
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("Stopping the demo...");
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// A new target takes traffic only once it passes its healthy threshold (ALB semantics: 2 checks here), so the
    /// commands are printed when every load balancer has a healthy target: a first curl then gets an answer, not a
    /// 503 that the edge would also cache for its 10 s error TTL. Bounded; past it the demo says which are waiting.
    /// </summary>
    private static async Task WaitForHealthyTargetsAsync(MeridianHost host, CancellationToken token)
    {
        var limit = TimeSpan.FromSeconds(20);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (host.Balancers.Any(b => b.HealthyTargets == 0) && System.Diagnostics.Stopwatch.GetElapsedTime(started) < limit)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), token);
            }
            catch (OperationCanceledException)
            {
                return; // Ctrl+C while waiting: the caller stops the demo
            }
        }

        var waiting = host.Balancers.Where(b => b.HealthyTargets == 0).Select(b => b.Name).ToArray();
        if (waiting.Length > 0)
        {
            Console.Error.WriteLine($"still no healthy target after {limit.TotalSeconds:0} s: {string.Join(", ", waiting)} (answers 503 until one passes its checks)");
        }
    }
}
