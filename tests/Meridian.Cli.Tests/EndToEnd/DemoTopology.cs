using Meridian.Cli.Tests.Support;
using Meridian.Topology;
using Meridian.Topology.Model;

namespace Meridian.Cli.Tests.EndToEnd;

/// <summary>
/// The shipped demo topology moved to loopback addresses of the test's own (127.N.M.x instead of 127.0.0.x), so
/// end-to-end tests run beside a running demo and beside each other with the demo's real ports.
/// </summary>
internal static class DemoTopology
{
    private static int s_next = Random.Shared.Next(1, 200);

    public static TopologyConfig Load(string folder)
    {
        var prefix = $"127.{93 + (Environment.ProcessId % 5)}.{Interlocked.Increment(ref s_next) % 250 + 1}.";
        var text = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "samples", "topologies", "two-region.yaml")).Replace("127.0.0.", prefix);
        var path = Path.Combine(folder, "two-region.yaml");
        File.WriteAllText(path, text);
        var result = TopologyLoader.Load(path);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Config!;
    }
}
