using System.CommandLine;
using System.Text.Json;
using Meridian.Hosting.Control;

namespace Meridian.Cli.Commands;

/// <summary>`meridian status`: every health check with its state, latency and last change, from a running Meridian.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c") { Description = "Topology file (its control.listen locates the running Meridian)" };
        var control = new Option<string?>("--control") { Description = "Control API URL, e.g. http://127.0.0.1:8053" };
        var json = new Option<bool>("--json") { Description = "Print the raw JSON" };
        var command = new Command("status", "Show health checks and DNS listeners of a running Meridian") { config, control, json };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(config), parse.GetValue(control), parse.GetValue(json), token));
        return command;
    }

    private static async Task<int> RunAsync(string? configPath, string? controlUrl, bool json, CancellationToken token)
    {
        using var client = ControlClient.Locate(controlUrl, configPath, Console.Error);
        if (client is null)
        {
            return ExitCodes.InvalidConfig;
        }

        StatusReport? report;
        try
        {
            report = await client.GetAsync<StatusReport>("v1/status", token);
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"error: no Meridian control API at {client.BaseAddress} ({ex.Message}). Is `meridian run` running?");
            return ExitCodes.Failure;
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, ControlApi.Json));
            return ExitCodes.Ok;
        }

        Console.WriteLine($"topology {report!.Topology}  roles {report.Roles}{(report.Region is null ? "" : $"  region {report.Region}")}");
        Console.WriteLine($"dns      {(report.DnsEndpoints.Count == 0 ? "(not running)" : string.Join(", ", report.DnsEndpoints))}");
        Console.WriteLine();
        Console.WriteLine(Table.Format(
            ["CHECK", "STATUS", "ANSWERS AS", "LATENCY", "LAST CHANGE", "REASON"],
            report.Checks.Select(c => new[]
            {
                c.Name,
                c.Status,
                c.Healthy ? "healthy" : "unhealthy",
                c.LatencyMs is { } ms ? $"{ms:0.0} ms" : "-",
                c.LastChange?.ToLocalTime().ToString("HH:mm:ss.fff") ?? "-",
                c.Reason ?? "",
            })));
        if (report.Replication.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine(ReplicationTable.Format(report.Replication));
        }
        return ExitCodes.Ok;
    }
}
