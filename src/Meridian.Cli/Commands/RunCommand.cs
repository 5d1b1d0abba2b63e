using System.CommandLine;
using Meridian.Dns;
using Meridian.Dns.Clients;
using Meridian.Hosting;
using Meridian.Topology;
using Microsoft.Extensions.Logging;

namespace Meridian.Cli.Commands;

/// <summary>`meridian run --config FILE [--region R] [--roles dns,health,control]`: serve until Ctrl+C or SIGTERM.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config", "-c") { Description = "The topology file", Required = true };
        var region = new Option<string?>("--region") { Description = "The region this process runs as (one process per region/role on real hosts)" };
        var roles = new Option<string>("--roles") { Description = "Roles to run: dns, health, control, lb, edge, storage, db, all (comma separated)", DefaultValueFactory = _ => "dns,control" };
        var logFormat = new Option<string>("--log-format") { Description = "text or json", DefaultValueFactory = _ => "text" };
        var command = new Command("run", "Run Meridian roles from a topology file") { config, region, roles, logFormat };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(config)!, parse.GetValue(region), parse.GetValue(roles)!, parse.GetValue(logFormat)!, token));
        return command;
    }

    private static async Task<int> RunAsync(string path, string? region, string rolesText, string logFormat, CancellationToken token)
    {
        if (!MeridianRoles.TryParse(rolesText, out var roles, out var rolesError))
        {
            Console.Error.WriteLine($"error: --roles: {rolesError}");
            return ExitCodes.InvalidConfig;
        }

        var result = TopologyLoader.Load(path);
        TopologyReport.WriteDiagnostics(result, Console.Error);
        if (!result.Succeeded)
        {
            Console.Error.WriteLine($"{path}: {result.Errors.Count} error(s); nothing started");
            return ExitCodes.InvalidConfig;
        }

        if (region is not null && result.Config!.FindRegion(region) is null)
        {
            Console.Error.WriteLine($"error: --region: '{region}' is not a region of {path} (regions: {string.Join(", ", result.Config.Regions.Select(r => r.Name))})");
            return ExitCodes.InvalidConfig;
        }

        using var loggers = Logging.Create(logFormat);
        var options = new MeridianHostOptions { Roles = roles, Region = region };
        MeridianHost host;
        try
        {
            host = new MeridianHost(result.Config!, options, loggers);
        }
        catch (GeoDatabaseException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidConfig;
        }

        await using var _ = host;
        try
        {
            await host.StartAsync(token);
        }
        catch (Exception ex) when (ex is DnsStartException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidConfig;
        }

        try
        {
            await Task.Delay(Timeout.Infinite, token);
        }
        catch (OperationCanceledException)
        {
            loggers.CreateLogger("Meridian").LogInformation("Stopping");
        }

        return ExitCodes.Ok;
    }
}
