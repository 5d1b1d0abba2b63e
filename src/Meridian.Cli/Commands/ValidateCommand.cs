using System.CommandLine;
using Meridian.Topology;

namespace Meridian.Cli.Commands;

/// <summary>`meridian validate FILE`: every error at once with file:line:col and field path; exit 2 when invalid.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The topology file (YAML)" };
        var command = new Command("validate", "Check a topology file and report every error at once") { file };
        command.SetAction(parse => Run(parse.GetValue(file)!, Console.Out, Console.Error));
        return command;
    }

    public static int Run(string path, TextWriter stdout, TextWriter stderr)
    {
        var result = TopologyLoader.Load(path);
        TopologyReport.WriteDiagnostics(result, stderr);
        if (!result.Succeeded)
        {
            stderr.WriteLine($"{path}: {result.Errors.Count} error(s)");
            return ExitCodes.InvalidConfig;
        }

        var config = result.Config!;
        stdout.WriteLine($"{path}: valid. {config.Regions.Count} regions, {config.HealthChecks.Count} health checks, " +
            $"{config.Zones.Count} zones, {config.Zones.Sum(z => z.Records.Count)} records" +
            (result.Warnings.Count > 0 ? $", {result.Warnings.Count} warning(s)" : ""));
        return ExitCodes.Ok;
    }
}
