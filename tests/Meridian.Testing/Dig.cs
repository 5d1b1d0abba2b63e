using System.Diagnostics;
using System.Net;

namespace Meridian.Testing;

/// <summary>Runs the real `dig` (bind9-dnsutils) against a test server; ./test.sh installs it.</summary>
public static class Dig
{
    public static async Task<string> RunAsync(IPEndPoint server, params string[] args)
    {
        var start = new ProcessStartInfo("dig")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add($"@{server.Address}");
        start.ArgumentList.Add("-p");
        start.ArgumentList.Add(server.Port.ToString());
        start.ArgumentList.Add("+time=2");
        start.ArgumentList.Add("+tries=1");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("dig is not installed: run ./test.sh (it installs bind9-dnsutils) or apt-get install bind9-dnsutils", ex);
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return output;
        }
    }

    /// <summary>The answer values of `dig +short`.</summary>
    public static async Task<string[]> ShortAsync(IPEndPoint server, params string[] args) =>
        (await RunAsync(server, [.. args, "+short"])).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
