using System.CommandLine;
using System.Text.Json;
using Meridian.Edge;
using Meridian.Hosting.Control;

namespace Meridian.Cli.Commands;

/// <summary>`meridian edge invalidate --distribution app-cdn /index.html /images/*`: removes cached objects at every location.</summary>
internal static class EdgeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c") { Description = "Topology file (its control.listen locates the running Meridian)" };
        var control = new Option<string?>("--control") { Description = "Control API URL, e.g. http://127.0.0.1:8053" };
        var distribution = new Option<string>("--distribution", "-d") { Description = "Distribution name", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the raw JSON" };
        var paths = new Argument<string[]>("paths") { Description = "Paths: exact (/index.html) or prefix (/images/*)", Arity = ArgumentArity.OneOrMore };
        var invalidate = new Command("invalidate", "Invalidate cached objects of a distribution at every edge location")
        {
            config, control, distribution, json, paths,
        };
        invalidate.SetAction((parse, token) => InvalidateAsync(parse.GetValue(config), parse.GetValue(control),
            parse.GetValue(distribution)!, parse.GetValue(paths) ?? [], parse.GetValue(json), token));
        return new Command("edge", "Edge (CDN) operations on a running Meridian") { invalidate };
    }

    private static async Task<int> InvalidateAsync(string? configPath, string? controlUrl, string distribution, string[] paths,
        bool json, CancellationToken token)
    {
        using var client = ControlClient.Locate(controlUrl, configPath, Console.Error);
        if (client is null)
        {
            return ExitCodes.InvalidConfig;
        }

        var query = $"v1/edge/invalidate?distribution={Uri.EscapeDataString(distribution)}"
            + string.Concat(paths.Select(p => $"&path={Uri.EscapeDataString(p)}"));
        HttpResponseMessage response;
        try
        {
            response = await client.SendPostAsync(query, token);
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"error: no Meridian control API at {client.BaseAddress} ({ex.Message}). Is `meridian run` running?");
            return ExitCodes.Failure;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(token);
            if (!response.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"error: HTTP {(int)response.StatusCode}: {body}");
                return ExitCodes.Failure;
            }

            if (json)
            {
                Console.WriteLine(body);
                return ExitCodes.Ok;
            }

            var result = JsonSerializer.Deserialize<InvalidationResult>(body, ControlApi.Json)!;
            Console.WriteLine($"invalidation {result.Id}: {result.Invalidated} object(s) removed for {string.Join(", ", result.Paths)} at {result.CompletedAt:O}");
            return ExitCodes.Ok;
        }
    }
}
