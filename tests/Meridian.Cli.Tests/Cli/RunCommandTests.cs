using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Meridian.Cli.Tests.Support;
using Meridian.Testing;
using Xunit.Abstractions;
using static Meridian.Cli.Tests.Support.Topologies;

namespace Meridian.Cli.Tests.Cli;

/// <summary>`meridian run`, `resolve` and `status` as processes: argument and bind errors, and a real server queried with dig.</summary>
public sealed partial class RunCommandTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Run_InvalidFile_Exit2NothingStarted()
    {
        using var file = TopologyFile.Create(Static().Replace("zones:", "zonez:"));

        var result = await CliProcess.RunAsync("run", "--config", file.Path);
        output.WriteLine(result.ToString());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("did you mean 'zones'", result.Stderr);
        Assert.Contains("nothing started", result.Stderr);
        Assert.DoesNotContain("listening", result.Stdout);
    }

    [Fact]
    public async Task Run_BogusRole_Exit2()
    {
        var result = await CliProcess.RunAsync("run", "--config", RepositoryFiles.TwoRegionSample, "--roles", "bogus");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--roles", result.Stderr);
        Assert.Contains("bogus", result.Stderr);
    }

    [Fact]
    public async Task Run_DnsListenAddressInUse_Exit2NamingDnsListen()
    {
        using var occupied = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)occupied.Client.LocalEndPoint!).Port;
        using var file = TopologyFile.Create(Static(dnsListen: $"127.0.0.1:{port}", controlListen: $"127.0.0.1:{FreePorts.Tcp()}"));

        var result = await CliProcess.RunAsync("run", "--config", file.Path);
        output.WriteLine(result.ToString());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("dns.listen", result.Stderr);
        Assert.Contains(port.ToString(), result.Stderr);
    }

    [Fact]
    public async Task Run_ControlListenAddressInUse_Exit2NamingControlListen()
    {
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
        using var file = TopologyFile.Create(Static(dnsListen: $"127.0.0.1:{FreePorts.Dns()}", controlListen: $"127.0.0.1:{port}"));

        var result = await CliProcess.RunAsync("run", "--config", file.Path);
        output.WriteLine(result.ToString());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("control.listen", result.Stderr);
        Assert.Contains(port.ToString(), result.Stderr);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr); // one clear line, no stack trace
    }

    [Fact]
    public async Task StatusCommand_NothingListening_Exit1()
    {
        using var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        var url = $"http://{free.LocalEndpoint}";
        free.Stop();

        var result = await CliProcess.RunAsync("status", "--control", url);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no Meridian control API", result.Stderr);
    }

    [Fact]
    public async Task Run_FreePorts_DigResolveStatusSighupAndSigtermWork()
    {
        await using var primary = await SwitchableHealthEndpoint.StartAsync();
        await using var secondary = await SwitchableHealthEndpoint.StartAsync();
        using var file = TopologyFile.Create(Failover(primary.Port, secondary.Port));
        var (run, dns, control) = await StartOnFreePortsAsync(file, primary.Port, secondary.Port);
        await using var _ = run;
        try
        {
            Assert.Equal(["192.0.2.1"], await Dig.ShortAsync(dns, Fqdn("static"), "A"));
            // Polled: under heavy load a first health probe can time out, so the answer settles only once checks pass.
            await Eventually.Until(async () => (await Dig.ShortAsync(dns, Fqdn("app"), "A")).SequenceEqual([Primary]), Bound, "app answers the primary");
            await Eventually.Until(async () => (await Dig.ShortAsync(dns, Fqdn("app"), "A", "+subnet=81.2.69.0/24")).SequenceEqual([Secondary]), Bound,
                "app answers the secondary for 81.2.69.0/24");
            Assert.Contains("\"v=spf1 -all\"", await Dig.ShortAsync(dns, Zone, "TXT"));

            var resolve = await CliProcess.RunAsync("resolve", "app.mydomain.test", "--type", "A", "--client", "81.2.69.0/24", "--control", control);
            output.WriteLine(resolve.ToString());
            Assert.Equal(0, resolve.ExitCode);
            Assert.Contains("NOERROR", resolve.Stdout);
            Assert.Matches(@"answer\s+app\.mydomain\.test\s+5\s+A\s+127\.0\.0\.12", resolve.Stdout);
            Assert.Contains("why:", resolve.Stdout);
            Assert.Contains("eu-west-1", resolve.Stdout);

            CliResult status = null!;
            await Eventually.Until(async () =>
            {
                status = await CliProcess.RunAsync("status", "--control", control);
                return status.ExitCode == 0 && CountMatches(status.Stdout, @"-app\s+Healthy\s+healthy") == 2;
            }, Bound, "status shows both checks healthy");
            output.WriteLine(status.ToString());
            Assert.Contains(dns.ToString(), status.Stdout);
            Assert.Contains(file.Path, status.Stdout);

            // SIGHUP reloads the file in the child process (safe there, unlike in the test host).
            // SIGHUP reloads the file in the child process (safe there, unlike in the test host) — unless this test
            // runs under nohup: children then inherit SIGHUP as ignored, and .NET keeps an inherited SIG_IGN (so
            // `nohup meridian run` does not reload on SIGHUP; the file watch and POST /v1/reload still do).
            if (SignalDisposition.SighupIgnored())
            {
                output.WriteLine("SIGHUP is ignored in this environment (nohup): the SIGHUP reload step is not exercised");
            }
            else
            {
                using (Process.Start("kill", ["-s", "HUP", run.Id.ToString()]))
                {
                }

                await run.WaitForLineAsync("Reloading topology (SIGHUP)", Bound);
            }

            Assert.False(run.HasExited);
            Assert.Equal(["192.0.2.1"], await Dig.ShortAsync(dns, Fqdn("static"), "A"));

            // SIGTERM stops it cleanly.
            using (Process.Start("kill", ["-s", "TERM", run.Id.ToString()]))
            {
            }

            Assert.Equal(0, await run.WaitForExitAsync(Bound));
            Assert.Contains("Stopping", run.Stdout);
        }
        finally
        {
            output.WriteLine("--- meridian run stdout\n" + run.Stdout + "\n--- stderr\n" + run.Stderr);
        }
    }

    /// <summary>
    /// `meridian run` on ports free a moment ago; another process can take one in between, so a start that fails to
    /// bind is retried on new ports (bounded). Returns the process and its endpoints as it reports them.
    /// </summary>
    private static async Task<(CliProcess Run, IPEndPoint Dns, string Control)> StartOnFreePortsAsync(TopologyFile file, int primaryPort, int secondaryPort)
    {
        for (var attempt = 1; ; attempt++)
        {
            file.Write(Failover(primaryPort, secondaryPort, dnsListen: $"127.0.0.1:{FreePorts.Dns()}", controlListen: $"127.0.0.1:{FreePorts.Tcp()}"));
            var run = CliProcess.Start("run", "--config", file.Path, "--roles", "all");
            try
            {
                var control = await run.WaitForLineAsync("Control API on", Bound);
                var dns = await run.WaitForLineAsync("DNS listening on", Bound);
                return (run, ParseEndpoint(DnsListening(), dns), "http://" + ParseEndpoint(ControlListening(), control));
            }
            catch (InvalidOperationException) when (attempt < 3 && run.Stderr.Contains("cannot bind", StringComparison.Ordinal))
            {
                await run.DisposeAsync();
            }
            catch
            {
                await run.DisposeAsync();
                throw;
            }
        }
    }

    private static IPEndPoint ParseEndpoint(Regex pattern, string line)
    {
        var match = pattern.Match(line);
        Assert.True(match.Success, line);
        return IPEndPoint.Parse(match.Groups[1].Value);
    }

    private static int CountMatches(string text, string pattern) => Regex.Matches(text, pattern).Count;

    [GeneratedRegex(@"DNS listening on (\S+) ")]
    private static partial Regex DnsListening();

    [GeneratedRegex(@"Control API on http://(\S+)")]
    private static partial Regex ControlListening();
}
