using Meridian.Topology;

namespace Meridian.Cli.Commands;

internal static class TopologyReport
{
    public static void WriteDiagnostics(TopologyLoadResult result, TextWriter output)
    {
        foreach (var error in result.Errors)
        {
            output.WriteLine($"error: {error}");
        }

        foreach (var warning in result.Warnings)
        {
            output.WriteLine($"warning: {warning}");
        }
    }
}
