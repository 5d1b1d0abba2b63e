using System.Diagnostics;
using System.Text;

namespace Meridian.Database.Processes;

/// <summary>
/// Runs PostgreSQL programs: as the server account (<see cref="ServerUser"/>, via runuser when Meridian is root),
/// with a deadline, capturing output. Never through a shell: arguments are passed as a list.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Runs <paramref name="program"/> as the server account; throws when it cannot be started or times out.</summary>
    public static Task<CommandResult> RunAsServerAsync(string program, IReadOnlyList<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null, CancellationToken token = default)
    {
        if (!ServerUser.IsRoot)
        {
            return RunAsync(program, args, timeout, environment, token);
        }
        var wrapped = new List<string> { "-u", ServerUser.PostgresAccount, "--", program };
        wrapped.AddRange(args);
        return RunAsync("runuser", wrapped, timeout, environment, token);
    }

    /// <summary>Like <see cref="RunAsServerAsync"/>, throwing a <see cref="DatabaseException"/> naming <paramref name="what"/> on a non-zero exit.</summary>
    public static async Task<CommandResult> RunCheckedAsync(string what, string program, IReadOnlyList<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null, CancellationToken token = default)
    {
        var result = await RunAsServerAsync(program, args, timeout, environment, token).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new DatabaseException($"{what} failed ({Path.GetFileName(program)} exited {result.ExitCode}): {result.Tail()}");
        }
        return result;
    }

    /// <summary>Runs a program as the current user, synchronously (discovery only).</summary>
    public static CommandResult RunDirect(string program, IReadOnlyList<string> args, TimeSpan timeout) =>
        RunAsync(program, args, timeout, null, CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<CommandResult> RunAsync(string program, IReadOnlyList<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment, CancellationToken token)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // The server account cannot enter /root (0700): run from a folder everyone can.
            WorkingDirectory = "/",
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }
        var display = $"{Path.GetFileName(program)} {string.Join(' ', args)}";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new DatabaseException($"cannot start {display}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new DatabaseException($"cannot start {program}: {ex.Message}", ex);
        }
        using (process)
        {
            process.StandardInput.Close();
            var output = new StringBuilder();
            var error = new StringBuilder();
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None).ContinueWith(t => output.Append(t.Result), TaskScheduler.Default);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None).ContinueWith(t => error.Append(t.Result), TaskScheduler.Default);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
            deadline.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
                await Task.WhenAll(stdout, stderr).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It exited meanwhile.
                }
                token.ThrowIfCancellationRequested();
                throw new DatabaseException($"{display} did not finish within {timeout.TotalSeconds:0} s");
            }
            catch (TimeoutException)
            {
                // A child (a server started by pg_ctl) kept the pipes open; the program itself finished.
            }
            return new CommandResult(display, process.ExitCode, output.ToString(), error.ToString());
        }
    }
}
