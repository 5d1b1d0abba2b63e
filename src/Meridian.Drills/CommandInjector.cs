using System.Diagnostics;

namespace Meridian.Drills;

/// <summary>
/// Injects with operator commands (a firewall rule on real hosts, like the tutorial's NACL deny), run through
/// /bin/sh with MERIDIAN_REGION and MERIDIAN_MODE set. A command that fails stops the drill with its output.
/// </summary>
public sealed class CommandInjector(string injectCommand, string restoreCommand) : IOutageInjector
{
    public Task InjectAsync(string region, DrillMode mode, CancellationToken token) => RunAsync(injectCommand, region, mode, token);

    public Task RestoreAsync(string region, CancellationToken token) => RunAsync(restoreCommand, region, null, token);

    private static async Task RunAsync(string command, string region, DrillMode? mode, CancellationToken token)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment["MERIDIAN_REGION"] = region;
        start.Environment["MERIDIAN_MODE"] = mode?.ToString().ToLowerInvariant() ?? "restore";
        using var process = Process.Start(start) ?? throw new DrillException($"could not start '{command}'");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new DrillException($"'{command}' exited with {process.ExitCode}: {await error}{await output}");
        }
    }
}
