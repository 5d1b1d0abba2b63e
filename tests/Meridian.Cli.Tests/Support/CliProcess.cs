using System.Collections.Concurrent;
using System.Diagnostics;

namespace Meridian.Cli.Tests.Support;

/// <summary>
/// The built CLI (`dotnet meridian.dll`, copied next to the test assembly by the project reference) as a child
/// process, with its output collected line by line. Disposing kills it if it still runs (bounded wait).
/// </summary>
internal sealed class CliProcess : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private CliProcess(Process process)
    {
        _process = process;
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "meridian.dll");

    public int Id => _process.Id;

    public string Stdout => string.Join(Environment.NewLine, _stdout);

    public string Stderr => string.Join(Environment.NewLine, _stderr);

    public bool HasExited => _process.HasExited;

    public static CliProcess Start(params string[] args)
    {
        // The SDK running the tests sets DOTNET_HOST_PATH to its own dotnet: use that one rather than whatever PATH has.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = new Process { StartInfo = start };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { cli._stdout.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { cli._stderr.Enqueue(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs a command to completion: exit code and all output.</summary>
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        await using var cli = Start(args);
        var exitCode = await cli.WaitForExitAsync(DefaultTimeout);
        return new CliResult(exitCode, cli.Stdout, cli.Stderr);
    }

    /// <summary>Waits for the exit (and the end of its output); fails the test at the deadline.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"meridian {string.Join(' ', _process.StartInfo.ArgumentList.Skip(1))} did not exit within {timeout}");
        }

        return _process.ExitCode;
    }

    /// <summary>The first output line (stdout or stderr) containing <paramref name="text"/>, waiting for it with a deadline.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        string? found = null;
        await Eventually.Until(() =>
        {
            found = _stdout.Concat(_stderr).FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            return found is not null || _process.HasExited;
        }, timeout, $"meridian prints '{text}'");
        return found ?? throw new InvalidOperationException($"meridian exited ({_process.ExitCode}) without printing '{text}':\n{Stdout}\n{Stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(deadline.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        finally
        {
            _process.Dispose();
        }
    }
}
