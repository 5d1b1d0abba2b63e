using System.CommandLine;
using System.Text.Json;
using Meridian.Hosting.Control;
using Meridian.Storage.Replication;

namespace Meridian.Cli.Commands;

/// <summary>
/// `meridian storage replicate-existing BUCKET`: S3 Batch Replication's job on a running Meridian (the process that
/// runs the bucket's store): queues every current object no rule has replicated yet, printing progress.
/// `meridian storage replication`: the per-rule backlog and latency.
/// </summary>
internal static class StorageCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c") { Description = "Topology file (its control.listen locates the running Meridian)" };
        var control = new Option<string?>("--control") { Description = "Control API URL, e.g. http://127.0.0.1:8053" };
        var bucket = new Argument<string>("bucket") { Description = "Source bucket (it needs replication rules)" };
        var existing = new Command("replicate-existing", "Replicate objects written before the bucket's rules existed (or that FAILED)")
        {
            config, control, bucket,
        };
        existing.SetAction((parse, token) => ReplicateExistingAsync(parse.GetValue(config), parse.GetValue(control), parse.GetValue(bucket)!, token));
        var json = new Option<bool>("--json") { Description = "Print the raw JSON" };
        var replication = new Command("replication", "Show replication backlog, latency and failures per rule") { config, control, json };
        replication.SetAction((parse, token) => ShowAsync(parse.GetValue(config), parse.GetValue(control), parse.GetValue(json), token));
        return new Command("storage", "Object storage operations on a running Meridian") { existing, replication };
    }

    private static async Task<int> ReplicateExistingAsync(string? configPath, string? controlUrl, string bucket, CancellationToken token)
    {
        using var client = ControlClient.Locate(controlUrl, configPath, Console.Error);
        if (client is null)
        {
            return ExitCodes.InvalidConfig;
        }
        HttpResponseMessage response;
        try
        {
            response = await client.SendPostStreamingAsync($"v1/storage/replicate-existing?bucket={Uri.EscapeDataString(bucket)}", token);
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"error: no Meridian control API at {client.BaseAddress} ({ex.Message}). Is `meridian run` running?");
            return ExitCodes.Failure;
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"error: HTTP {(int)response.StatusCode}: {ErrorText(await response.Content.ReadAsStringAsync(token))}");
                return ExitCodes.Failure;
            }
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(token));
            ReplicateExistingResult? last = null;
            while (await reader.ReadLineAsync(token) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }
                last = JsonSerializer.Deserialize<ReplicateExistingResult>(line, ControlApi.Json)!;
                Console.WriteLine($"{last.Bucket}: {last.Processed} object(s) examined for replication, {last.Queued} queued");
            }
            if (last is null)
            {
                Console.Error.WriteLine("error: the control API ended the job without a result");
                return ExitCodes.Failure;
            }
            Console.WriteLine($"done: {last.KeysExamined} key(s) in {last.Bucket}, {last.Queued} object(s) queued for replication " +
                "(watch `meridian storage replication` for the backlog)");
            return ExitCodes.Ok;
        }
    }

    private static async Task<int> ShowAsync(string? configPath, string? controlUrl, bool json, CancellationToken token)
    {
        using var client = ControlClient.Locate(controlUrl, configPath, Console.Error);
        if (client is null)
        {
            return ExitCodes.InvalidConfig;
        }
        ReplicationRuleStatus[]? rules;
        try
        {
            rules = await client.GetAsync<ReplicationRuleStatus[]>("v1/storage/replication", token);
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"error: no Meridian control API at {client.BaseAddress} ({ex.Message}). Is `meridian run` running?");
            return ExitCodes.Failure;
        }
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(rules, ControlApi.Json));
            return ExitCodes.Ok;
        }
        Console.WriteLine(ReplicationTable.Format(rules ?? []));
        return ExitCodes.Ok;
    }

    /// <summary>The control API's {"error": "..."} message, or the body as it came.</summary>
    private static string ErrorText(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("error", out var error) ? error.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
