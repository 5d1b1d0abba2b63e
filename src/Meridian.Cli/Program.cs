using System.CommandLine;
using Meridian.Cli.Commands;
using Meridian.Cli.Demo;

namespace Meridian.Cli;

/// <summary>The `meridian` executable: one binary, a subcommand per job.</summary>
internal static class Program
{
    /// <summary>
    /// Socket continuations (and Kestrel's request processing of the load balancers and edge locations, which follow this variable) run on the epoll
    /// thread instead of being handed to a thread-pool thread: one hop less per socket event. bench/http A/B (2 cores,
    /// everything pinned, one run, median of 3): context switches per proxied request 1.49 → 0.53, CPU per request
    /// 27.2 → 22.1 µs (load balancer) and 23.9 → 21.5 µs (edge), together with the per-request allocations removed in
    /// the same change set; docs/benchmarks.md, HTTP 2026-11-26 06:31 (httpperf). Read
    /// by the runtime once, when the first socket is created, so it must be set before anything opens one; an
    /// explicit value in the environment (e.g. <c>=0</c>) wins.
    /// </summary>
    internal const string SocketsInlineVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static async Task<int> Main(string[] args)
    {
        if (Environment.GetEnvironmentVariable(SocketsInlineVariable) is null)
        {
            Environment.SetEnvironmentVariable(SocketsInlineVariable, "1");
        }

        var root = new RootCommand("Meridian: self-hosted multi-region failover (GSLB DNS, health checks, edge, storage, database).")
        {
            ValidateCommand.Create(),
            RunCommand.Create(),
            ResolveCommand.Create(),
            StatusCommand.Create(),
            DemoCommand.Create(),
            DrillCommand.Create(),
            EdgeCommand.Create(),
            StorageCommand.Create(),
            DbCommand.Create(),
        };
        return await root.Parse(args).InvokeAsync();
    }
}
