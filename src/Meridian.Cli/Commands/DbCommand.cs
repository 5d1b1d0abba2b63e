using System.CommandLine;
using System.Text.Json;
using Meridian.Database.Failover;
using Meridian.Hosting.Control;

namespace Meridian.Cli.Commands;

/// <summary>`meridian db status` and `meridian db switchover --to eu-west-1`, against a running Meridian's control API.</summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c") { Description = "Topology file (its control.listen locates the running Meridian)" };
        var control = new Option<string?>("--control") { Description = "Control API URL, e.g. http://127.0.0.1:8053" };
        var json = new Option<bool>("--json") { Description = "Print the raw JSON" };
        var status = new Command("status", "Members, roles, lag and the last failover of every database cluster") { config, control, json };
        status.SetAction((parse, token) => StatusAsync(parse.GetValue(config), parse.GetValue(control), parse.GetValue(json), token));

        var to = new Option<string>("--to") { Description = "Target region (its replica) or member name", Required = true };
        var cluster = new Option<string?>("--cluster") { Description = "Cluster name (needed when there are several)" };
        var switchover = new Command("switchover", "Planned switchover: wait until the target has replayed everything, then swap roles (no data loss)")
        {
            config, control, to, cluster, json,
        };
        switchover.SetAction((parse, token) => SwitchoverAsync(parse.GetValue(config), parse.GetValue(control), parse.GetValue(to)!,
            parse.GetValue(cluster), parse.GetValue(json), token));
        return new Command("db", "PostgreSQL tier of a running Meridian") { status, switchover };
    }

    private static async Task<int> StatusAsync(string? configPath, string? controlUrl, bool json, CancellationToken token)
    {
        using var client = ControlClient.Locate(controlUrl, configPath, Console.Error);
        if (client is null)
        {
            return ExitCodes.InvalidConfig;
        }
        var (body, code) = await SendAsync(client, () => client.SendGetAsync("v1/db/status", token), token);
        if (body is null)
        {
            return code;
        }
        if (json)
        {
            Console.WriteLine(body);
            return ExitCodes.Ok;
        }
        var report = JsonSerializer.Deserialize<DatabaseStatusReport>(body, ControlApi.Json)!;
        if (report.Clusters.Count == 0)
        {
            Console.WriteLine("no database clusters (the topology has no databases: section)");
        }
        foreach (var c in report.Clusters)
        {
            Console.WriteLine($"cluster {c.Name}  state {c.State}  writer {c.Writer}  {(c.AcceptsWrites ? "accepts writes" : "READ-ONLY")}");
            Console.WriteLine($"  {c.Reason}");
            Console.WriteLine(Table.Format(
                ["MEMBER", "REGION", "LISTEN", "ROLE", "TIMELINE", "WAL", "WRITE LAG", "FLUSH LAG", "REPLAY LAG", "ERROR"],
                c.Members.Select(m => new[]
                {
                    m.Name, m.Region, m.Listen, m.Role, m.Timeline?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-", m.WalPosition ?? "-",
                    m.Lag is { } l ? Lag(l.WriteLagBytes, l.WriteLagSeconds) : "-",
                    m.Lag is { } f ? Lag(f.FlushLagBytes, f.FlushLagSeconds) : "-",
                    m.Lag is { } r ? Lag(r.ReplayLagBytes, r.ReplayLagSeconds) : "-",
                    m.Error ?? "",
                })));
            Console.WriteLine(c.LastFailover is { } f2
                ? $"  last {(f2.Planned ? "switchover" : "failover")}: {f2.Time.ToLocalTime():HH:mm:ss} {f2.From} -> {f2.To}, {f2.LagBytes} bytes behind, detection {f2.Detection.TotalSeconds:0.0} s ({f2.Reason})"
                : "  no failover yet");
            Console.WriteLine();
        }
        foreach (var e in report.Events)
        {
            Console.WriteLine($"{e.Time.ToLocalTime():HH:mm:ss.fff} {e.Cluster} {e.Kind}{(e.From != e.To ? $" {e.From}->{e.To}" : "")}{(e.Member is null ? "" : $" [{e.Member}]")}: {e.Reason}");
        }
        return ExitCodes.Ok;
    }

    private static async Task<int> SwitchoverAsync(string? configPath, string? controlUrl, string to, string? cluster, bool json, CancellationToken token)
    {
        using var client = ControlClient.Locate(controlUrl, configPath, Console.Error, TimeSpan.FromMinutes(2));
        if (client is null)
        {
            return ExitCodes.InvalidConfig;
        }
        var query = $"v1/db/switchover?to={Uri.EscapeDataString(to)}" + (cluster is null ? "" : $"&cluster={Uri.EscapeDataString(cluster)}");
        var (body, code) = await SendAsync(client, () => client.SendPostAsync(query, token), token);
        if (body is null)
        {
            return code;
        }
        if (json)
        {
            Console.WriteLine(body);
            return ExitCodes.Ok;
        }
        var record = JsonSerializer.Deserialize<FailoverRecord>(body, ControlApi.Json)!;
        Console.WriteLine($"switchover done: {record.From} -> {record.To} in {record.Detection.TotalSeconds:0.00} s; {record.To} is the writer, {record.From} its replica");
        return ExitCodes.Ok;
    }

    private static async Task<(string? Body, int Code)> SendAsync(ControlClient client, Func<Task<HttpResponseMessage>> send, CancellationToken token)
    {
        HttpResponseMessage response;
        try
        {
            response = await send();
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"error: no Meridian control API at {client.BaseAddress} ({ex.Message}). Is `meridian run --roles db,control` running?");
            return (null, ExitCodes.Failure);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(token);
            if (!response.IsSuccessStatusCode)
            {
                string? message;
                try
                {
                    message = JsonDocument.Parse(body).RootElement.TryGetProperty("error", out var e) ? e.GetString() : body;
                }
                catch (JsonException)
                {
                    message = $"HTTP {(int)response.StatusCode}: {body}";
                }
                Console.Error.WriteLine($"error: {message}");
                return (null, ExitCodes.Failure);
            }
            return (body, ExitCodes.Ok);
        }
    }

    private static string Lag(long bytes, double? seconds) =>
        $"{bytes} B / {(seconds is { } s ? $"{s:0.000} s" : "? s")}";
}
