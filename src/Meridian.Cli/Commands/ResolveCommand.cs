using System.CommandLine;
using System.Net;
using System.Text.Json;
using Meridian.Dns;
using Meridian.Dns.Answering;
using Meridian.Health;
using Meridian.Hosting.Control;
using Meridian.Topology;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Cli.Commands;

/// <summary>
/// `meridian resolve NAME --type A --client 81.2.69.0/24`: which answer that client would get and why. Asks the
/// running Meridian (live health); with no Meridian running, explains offline from --config with health unknown.
/// </summary>
internal static class ResolveCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The name to resolve, e.g. app.mydomain.test" };
        var type = new Option<string>("--type", "-t") { Description = "Record type", DefaultValueFactory = _ => "A" };
        var client = new Option<string?>("--client") { Description = "Client address or network (as an ECS subnet), e.g. 81.2.69.0/24" };
        var config = new Option<string?>("--config", "-c") { Description = "Topology file (locates the running Meridian; used offline when none runs)" };
        var control = new Option<string?>("--control") { Description = "Control API URL, e.g. http://127.0.0.1:8053" };
        var json = new Option<bool>("--json") { Description = "Print the raw JSON" };
        var command = new Command("resolve", "Explain the answer a client would get") { name, type, client, config, control, json };
        command.SetAction((parse, token) => RunAsync(parse.GetValue(name)!, parse.GetValue(type)!, parse.GetValue(client),
            parse.GetValue(config), parse.GetValue(control), parse.GetValue(json), token));
        return command;
    }

    private static async Task<int> RunAsync(string name, string type, string? clientText, string? configPath, string? controlUrl, bool json, CancellationToken token)
    {
        if (!ClientSubnet.TryParse(clientText, out var subnet, out var subnetError))
        {
            Console.Error.WriteLine($"error: --client: {subnetError}");
            return ExitCodes.InvalidConfig;
        }

        configPath ??= controlUrl is null ? Demo.DemoCommand.DefaultTopology : null;
        using var control = ControlClient.Locate(controlUrl, configPath, Console.Error);
        if (control is null)
        {
            return ExitCodes.InvalidConfig;
        }

        ExplainResult? result;
        string source;
        try
        {
            var query = $"v1/resolve?name={Uri.EscapeDataString(name)}&type={Uri.EscapeDataString(type)}" +
                (subnet is null ? "" : $"&client={Uri.EscapeDataString(subnet.ToString()!)}");
            using var response = await control.SendGetAsync(query, token);
            if (!response.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"error: {await response.Content.ReadAsStringAsync(token)}");
                return ExitCodes.Failure;
            }

            result = await JsonSerializer.DeserializeAsync<ExplainResult>(await response.Content.ReadAsStreamAsync(token), ControlApi.Json, token);
            source = $"live, from {control.BaseAddress}";
        }
        catch (HttpRequestException) when (configPath is not null)
        {
            (result, source) = await ExplainOfflineAsync(configPath, name, type, subnet);
            if (result is null)
            {
                return ExitCodes.InvalidConfig;
            }
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"error: no Meridian control API at {control.BaseAddress} ({ex.Message})");
            return ExitCodes.Failure;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidConfig;
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result, ControlApi.Json));
            return ExitCodes.Ok;
        }

        Print(result!, source);
        return ExitCodes.Ok;
    }

    private static async Task<(ExplainResult?, string)> ExplainOfflineAsync(string configPath, string name, string type, IPNetwork? subnet)
    {
        var loaded = TopologyLoader.Load(configPath);
        if (!loaded.Succeeded)
        {
            TopologyReport.WriteDiagnostics(loaded, Console.Error);
            return (null, "");
        }

        await using var health = new HealthMonitor(loaded.Config!, TimeProvider.System, NullLoggerFactory.Instance);
        await using var dns = new GslbDnsServer(loaded.Config!, health, NullLoggerFactory.Instance);
        return (dns.Explain(name, type, subnet),
            $"offline from {configPath}: no Meridian is running, so every health check is unknown (answered as {loaded.Config!.Checkers.UnknownIs.ToString().ToLowerInvariant()})");
    }

    private static void Print(ExplainResult result, string source)
    {
        Console.WriteLine($"{result.Name} {result.Type} for client {result.Client}: {result.Rcode}" +
            (result.EcsScope is { } scope ? $" (ECS scope /{scope})" : "") + (result.Truncated ? " (truncated)" : ""));
        Console.WriteLine($"({source})");
        Console.WriteLine();
        if (result.Answers.Count + result.Authority.Count > 0)
        {
            Console.WriteLine(Table.Format(["SECTION", "NAME", "TTL", "TYPE", "VALUE"],
                result.Answers.Select(a => new[] { "answer", a.Name, a.Ttl.ToString(), a.Type, a.Value })
                    .Concat(result.Authority.Select(a => new[] { "authority", a.Name, a.Ttl.ToString(), a.Type, a.Value }))));
            Console.WriteLine();
        }

        Console.WriteLine("why:");
        foreach (var step in result.Steps)
        {
            Console.WriteLine("  " + step);
        }
    }
}
