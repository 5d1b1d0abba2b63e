using System.CommandLine;
using Meridian.Cli.Commands;
using Meridian.Cli.Demo;

namespace Meridian.Cli;

/// <summary>The `meridian` executable: one binary, a subcommand per job.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Meridian: self-hosted multi-region failover (GSLB DNS, health checks, edge, storage, database).")
        {
            ValidateCommand.Create(),
            RunCommand.Create(),
            ResolveCommand.Create(),
            StatusCommand.Create(),
            DemoCommand.Create(),
            DrillCommand.Create(),
            EdgeCommand.Create(),
        };
        return await root.Parse(args).InvokeAsync();
    }
}
