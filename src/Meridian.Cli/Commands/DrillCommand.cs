using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using Meridian.Cli.Demo;
using Meridian.Drills;
using Meridian.Drills.Report;
using Meridian.Health;
using Meridian.Hosting.Control;
using Meridian.Topology;
using Meridian.Topology.Model;
using Meridian.Topology.Validation;

namespace Meridian.Cli.Commands;

/// <summary>
/// `meridian drill region-outage --region us-east-1`: the tutorial's game day, measured. Runs a bounded synthetic
/// client through DNS, the edge and the region directly; breaks the region (the demo through its control API, real
/// hosts with --inject/--restore commands); restores it; reports the timeline in the terminal, JSON, Markdown and
/// SVG; exits 3 when a figure breaks a target given on the command line.
/// </summary>
internal static class DrillCommand
{
    public const int TargetsBroken = 3;

    public static Command Create()
    {
        var region = new Option<string>("--region") { Description = "The region to take down", Required = true };
        var config = new Option<string?>("--config", "-c") { Description = "Topology file (default: the demo's)" };
        var mode = new Option<string>("--mode") { Description = "refuse (connections refused) or hang (accepted, never answered)", DefaultValueFactory = _ => "refuse" };
        var rate = new Option<int>("--rate") { Description = "Requests per second on each path (edge, direct)", DefaultValueFactory = _ => 20 };
        var duration = new Option<string>("--duration") { Description = "Whole drill", DefaultValueFactory = _ => "30s" };
        var outageAt = new Option<string>("--outage-at") { Description = "When the outage starts", DefaultValueFactory = _ => "5s" };
        var restoreAt = new Option<string>("--restore-at") { Description = "When the region is restored", DefaultValueFactory = _ => "18s" };
        var client = new Option<string?>("--client") { Description = "Client subnet sent as ECS (default: the latency network nearest the region)" };
        var output = new Option<string?>("--out") { Description = "Folder for drill.json, drill.md and drill-timeline.svg" };
        var inject = new Option<string?>("--inject") { Description = "Shell command that breaks the region (real hosts); default: the demo's control API" };
        var restore = new Option<string?>("--restore") { Description = "Shell command that restores the region" };
        var maxDns = new Option<string?>("--max-dns-failover") { Description = "Target: outage → first DNS answer without the region, e.g. 2s" };
        var maxEdge = new Option<int?>("--max-edge-errors") { Description = "Target: failed requests through the edge" };
        var maxDirect = new Option<int?>("--max-direct-errors") { Description = "Target: failed requests straight at the resolved region" };
        var objectsRate = new Option<int>("--objects-rate") { Description = "Object PUTs per second into the region's replicated bucket (0: none)", DefaultValueFactory = _ => 10 };
        var maxObjectRpo = new Option<int?>("--max-object-rpo") { Description = "Target: objects acknowledged before the outage and missing in the surviving region" };
        var rowsRate = new Option<int>("--rows-rate") { Description = "Database rows per second written through the app (POST /api/drill/{run}/{n}; 0: none)", DefaultValueFactory = _ => 10 };
        var maxDbRpo = new Option<int?>("--max-db-rpo") { Description = "Target: rows acknowledged before the outage and missing after it" };
        var outage = new Command("region-outage", "Take a region down, watch failover and failback, measure them")
        {
            region, config, mode, rate, duration, outageAt, restoreAt, client, output, inject, restore, maxDns, maxEdge, maxDirect,
            objectsRate, maxObjectRpo, rowsRate, maxDbRpo,
        };
        outage.SetAction((parse, token) => RunAsync(new DrillArguments(
            parse.GetValue(region)!, parse.GetValue(config), parse.GetValue(mode)!, parse.GetValue(rate), parse.GetValue(duration)!,
            parse.GetValue(outageAt)!, parse.GetValue(restoreAt)!, parse.GetValue(client), parse.GetValue(output), parse.GetValue(inject),
            parse.GetValue(restore), parse.GetValue(maxDns), parse.GetValue(maxEdge), parse.GetValue(maxDirect),
            parse.GetValue(objectsRate), parse.GetValue(maxObjectRpo), parse.GetValue(rowsRate), parse.GetValue(maxDbRpo)), token));
        return new Command("drill", "Rehearse failures and measure recovery") { outage };
    }

    private static async Task<int> RunAsync(DrillArguments args, CancellationToken token)
    {
        var path = args.Config ?? DemoCommand.DefaultTopology;
        var loaded = TopologyLoader.Load(path);
        TopologyReport.WriteDiagnostics(loaded, Console.Error);
        if (!loaded.Succeeded)
        {
            return ExitCodes.InvalidConfig;
        }

        if (!DrillPlan.TryCreate(loaded.Config!, args, out var options, out var error))
        {
            Console.Error.WriteLine($"error: {error}");
            return ExitCodes.InvalidConfig;
        }

        TimeSpan? maxDns = null;
        if (args.MaxDnsFailover is { } text)
        {
            if (!Durations.TryParse(text, out var parsed))
            {
                Console.Error.WriteLine($"error: --max-dns-failover: '{text}' is not a duration like 2s or 1500ms");
                return ExitCodes.InvalidConfig;
            }

            maxDns = parsed;
        }

        using var control = new HttpClient { BaseAddress = new Uri($"http://{loaded.Config!.Control.Listen}/"), Timeout = TimeSpan.FromSeconds(10) };
        var injector = await ChooseInjectorAsync(args, loaded.Config!, control, token);
        if (injector is null)
        {
            return ExitCodes.InvalidConfig;
        }

        async Task<IReadOnlyList<HealthEvent>> Events(CancellationToken t) =>
            await control.GetFromJsonAsync<HealthEvent[]>("v1/events?limit=10000", ControlApi.Json, t) ?? [];

        Console.WriteLine($"region-outage drill: {options.Region} ({options.Mode.ToString().ToLowerInvariant()}), {options.Duration.TotalSeconds:0} s, " +
            $"client {options.ClientSubnet?.ToString() ?? "127.0.0.1"}, {options.Rate} req/s per path; DNS {options.DnsServer}, names {options.AppName}{(options.CdnName is null ? "" : $" and {options.CdnName}")}");
        if (args.ObjectsRate is < 0 or > 500)
        {
            Console.Error.WriteLine("error: --objects-rate must be 0-500 PUTs per second (drills are bounded)");
            return ExitCodes.InvalidConfig;
        }

        var objectOptions = ObjectDrillPlan.Create(loaded.Config!, options.Region, args.ObjectsRate, out var noObjects);
        if (objectOptions is not null)
        {
            var bucket = objectOptions.SourceBucket;
            // The backlog at the outage: the source rule's pending work, from the running Meridian's replication metrics.
            objectOptions = objectOptions with
            {
                Backlog = async t =>
                {
                    var rules = await control.GetFromJsonAsync<Meridian.Storage.Replication.ReplicationRuleStatus[]>("v1/storage/replication", ControlApi.Json, t) ?? [];
                    var matching = rules.Where(r => r.Bucket == bucket).ToArray();
                    return matching.Length == 0 ? null
                        : new Drills.Data.ReplicationBacklog(matching.Sum(r => r.OperationsPending), matching.Sum(r => r.BytesPending));
                },
            };
        }

        Console.WriteLine(objectOptions is null
            ? $"objects: not drilled ({noObjects})"
            : $"objects: {objectOptions.Rate} PUT/s into {objectOptions.SourceBucket} ({objectOptions.SourceRegion}), replica {objectOptions.ReplicaBucket} ({objectOptions.ReplicaRegion})");
        if (args.RowsRate is < 0 or > 1000)
        {
            Console.Error.WriteLine("error: --rows-rate must be 0-1000 rows per second (drills are bounded)");
            return ExitCodes.InvalidConfig;
        }

        using var rows = await CreateRowWriterAsync(loaded.Config!, options, args.RowsRate, control, token);
        DrillReport report;
        try
        {
            var progress = new Progress<string>(Console.WriteLine);
            using var objects = objectOptions is null ? null : new Drills.Data.ObjectWriteProbe(objectOptions, TimeProvider.System, options.RequestTimeout);
            report = await new RegionOutageDrill(options, injector, Events, TimeProvider.System, objects, rows).RunAsync(progress, token);
        }
        catch (Exception ex) when (ex is DrillException or HttpRequestException)
        {
            Console.Error.WriteLine($"error: {ex.Message}{(ex is HttpRequestException ? $" (is `meridian demo` running with control API {control.BaseAddress}?)" : "")}");
            return ExitCodes.Failure;
        }

        Console.WriteLine();
        Console.WriteLine(DrillReportWriter.Summary(report));
        var folder = args.Output ?? $"drill-{options.Region}-{DateTime.Now:yyyyMMdd-HHmmss}";
        foreach (var file in DrillReportWriter.WriteFiles(report, folder))
        {
            Console.WriteLine($"wrote {file}");
        }

        var broken = DrillTargets.Check(report, maxDns, args.MaxEdgeErrors, args.MaxDirectErrors, args.MaxObjectRpo, args.MaxDbRpo).ToArray();
        foreach (var line in broken)
        {
            Console.Error.WriteLine($"target broken: {line}");
        }

        return broken.Length == 0 ? ExitCodes.Ok : TargetsBroken;
    }

    /// <summary>
    /// The row writer when the region's app can store rows now (a preflight read through the same path); else null,
    /// saying why (no database configured, PostgreSQL not installed, ...). Lag at the outage comes from
    /// GET /v1/db/status when the running Meridian has one.
    /// </summary>
    private static async Task<Drills.Data.RowWriteProbe?> CreateRowWriterAsync(TopologyConfig topology, DrillOptions options, int rate,
        HttpClient control, CancellationToken token)
    {
        var rowOptions = RowDrillPlan.Create(topology, options.Region, rate, out var why);
        if (rowOptions is null)
        {
            Console.WriteLine($"rows: not drilled ({why})");
            return null;
        }

        rowOptions = rowOptions with { Lag = t => DatabaseLagAsync(control, t) };
        var probe = new Drills.Data.RowWriteProbe(rowOptions, TimeProvider.System, options.RequestTimeout);
        if (await probe.PreflightAsync(token) is { } unavailable)
        {
            Console.WriteLine($"rows: not drilled (the app cannot store rows: {unavailable})");
            probe.Dispose();
            return null;
        }

        Console.WriteLine($"rows: {rowOptions.Rate} rows/s through {rowOptions.Target}{(rowOptions.Host is null ? "" : $" (Host {rowOptions.Host})")}, run {probe.Run}");
        return probe;
    }

    private static async Task<IReadOnlyList<Drills.Data.ReplicaLag>?> DatabaseLagAsync(HttpClient control, CancellationToken token)
    {
        using var response = await control.GetAsync("v1/db/status", token);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null; // this Meridian has no database tier
        }

        response.EnsureSuccessStatusCode();
        var lag = Drills.Data.DatabaseStatusLag.Parse(await response.Content.ReadAsStringAsync(token));
        return lag.Count == 0 ? null : lag;
    }

    /// <summary>
    /// --inject/--restore when given; else the running Meridian when it serves the region's load balancers (the
    /// demo); else the topology's drills.region-outage commands (real hosts).
    /// </summary>
    private static async Task<IOutageInjector?> ChooseInjectorAsync(DrillArguments args, TopologyConfig topology, HttpClient control, CancellationToken token)
    {
        if (args.Inject is not null)
        {
            return new CommandInjector(args.Inject, args.Restore ?? "true");
        }

        var regionBalancers = topology.LoadBalancers.Where(b => b.Region == args.Region).Select(b => b.Name).ToHashSet();
        try
        {
            var status = await control.GetFromJsonAsync<StatusReport>("v1/status", ControlApi.Json, token);
            if (status is not null && (status.Balancers.Any(b => regionBalancers.Contains(b.Name)) || status.RegionsDown.Contains(args.Region)))
            {
                return new ControlApiInjector(control);
            }
        }
        catch (HttpRequestException)
        {
            // No Meridian control API: fall through to the topology's commands.
        }

        if (topology.Drills.InjectCommands.TryGetValue(args.Region, out var inject) && topology.Drills.RestoreCommands.TryGetValue(args.Region, out var restore))
        {
            return new CommandInjector(inject, restore);
        }

        Console.Error.WriteLine($"error: nothing can take {args.Region} down: no Meridian at {control.BaseAddress} runs its load balancers " +
            $"(start `meridian demo`), and {topology.SourceFile} has no drills.region-outage commands for it (or pass --inject and --restore)");
        return null;
    }
}
