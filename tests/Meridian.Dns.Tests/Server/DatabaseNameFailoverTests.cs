using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Meridian.Dns.Tests.Support;
using Meridian.Testing;
using Xunit.Abstractions;

namespace Meridian.Dns.Tests.Server;

/// <summary>
/// db-writer / db-reader against real PostgreSQL servers, real postgres health checks and the real DNS server, asked
/// with dig: db-writer answers only the writable primary and follows a promotion.
/// </summary>
public sealed class DatabaseNameFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task DbWriter_StandbyPromotedOldPrimaryFenced_AnswersNewPrimaryWithinIntervalTimesRise()
    {
        await using var primary = await PostgresTestServer.StartPrimaryAsync(IPAddress.Parse("127.0.9.1"));
        await using var standby = await PostgresTestServer.StartStandbyAsync(primary, IPAddress.Parse("127.0.9.2"));
        const int rise = 1;
        await using var dns = GslbTestServer.Start(DatabaseDnsTopology.Yaml([primary, standby], rise: rise));

        Assert.True(await Polling.UntilTrueAsync(async () => Same(await Dig.ShortAsync(dns.Endpoint, DatabaseDnsTopology.Writer, "A"), "127.0.9.1"),
            TimeSpan.FromSeconds(15)), "db-writer never answered just the primary");
        var reader = await Dig.ShortAsync(dns.Endpoint, DatabaseDnsTopology.Reader, "A");
        Assert.Equal(["127.0.9.1", "127.0.9.2"], reader.Order().ToArray()); // both members are up

        // Fence first (the old primary goes read-only), then promote: what an orchestrator does.
        await primary.SqlAsync("ALTER SYSTEM SET default_transaction_read_only = on");
        await primary.SqlAsync("SELECT pg_reload_conf()");
        var promoted = Stopwatch.StartNew();
        await standby.PromoteAsync();
        string[] answer = [];
        Assert.True(await Polling.UntilTrueAsync(async () => Same(answer = await Dig.ShortAsync(dns.Endpoint, DatabaseDnsTopology.Writer, "A"), "127.0.9.2"),
            TimeSpan.FromSeconds(20)), $"db-writer never moved to the promoted standby (last answer: {string.Join(", ", answer)})");
        var moved = promoted.Elapsed;
        output.WriteLine($"db-writer moved to the promoted standby {moved.TotalSeconds:0.00} s after pg_ctl promote was issued");

        // Interval × rise for the new primary to pass (+ one interval of phase, + the old one's confirm/fall, + slack
        // for a loaded 2-core machine); the measured figure is in the assertion message.
        Assert.True(moved <= Interval * (rise + 2) + TimeSpan.FromSeconds(3), $"db-writer took {moved.TotalSeconds:0.00} s to move");
        var srv = await Dig.ShortAsync(dns.Endpoint, "_postgresql._tcp." + DatabaseDnsTopology.Writer, "SRV");
        Assert.Equal([$"0 0 {standby.Port.ToString(CultureInfo.InvariantCulture)} m2.mydomain.test."], srv);
    }

    [Fact]
    public async Task SampleTopology_DbWriterSrv_FollowsPromotionToInRegionStandbyOnSharedAddress()
    {
        await using var primary = await PostgresTestServer.StartPrimaryAsync(IPAddress.Parse("127.0.9.3"));
        await using var standby = await PostgresTestServer.StartStandbyAsync(primary, IPAddress.Parse("127.0.9.4"));
        var closed = ClosedPort();
        // The shipped demo file, moved to this test's addresses; the members' checks aimed at the fixture's servers
        // (the cross-region replica is absent: its port is closed).
        var yaml = File.ReadAllText(SampleFile())
            .Replace("target: 127.0.0.11:5432", $"target: {primary.Address}:{primary.Port}")
            .Replace("target: 127.0.0.11:5433", $"target: {standby.Address}:{standby.Port}")
            .Replace("target: 127.0.0.12:5432", $"target: 127.0.9.5:{closed}")
            .Replace("user: meridian, password: meridian", "user: postgres")
            .Replace("database: app", "database: postgres")
            .Replace("127.0.0.", "127.0.9.");
        await using var dns = GslbTestServer.Start(yaml);
        const string srvName = "_postgresql._tcp.db-writer.mydomain.test";

        Assert.True(await Polling.UntilTrueAsync(async () => Same(await Dig.ShortAsync(dns.Endpoint, srvName, "SRV"), "0 0 5432 db-us-1.mydomain.test."),
            TimeSpan.FromSeconds(15)), "db-writer's SRV never answered just the primary");
        Assert.Equal(["127.0.9.11"], await Dig.ShortAsync(dns.Endpoint, "db-writer.mydomain.test", "A"));
        Assert.True(await Polling.UntilTrueAsync(async () => (await Dig.ShortAsync(dns.Endpoint, "_postgresql._tcp.db-reader.mydomain.test", "SRV")).Length == 2,
            TimeSpan.FromSeconds(15)), "db-reader (nearest region us-east-1) should answer both us members");

        await primary.StopAsync();
        await standby.PromoteAsync();
        string[] answer = [];
        Assert.True(await Polling.UntilTrueAsync(async () => Same(answer = await Dig.ShortAsync(dns.Endpoint, srvName, "SRV"), "0 0 5433 db-us-2.mydomain.test."),
            TimeSpan.FromSeconds(20)), $"db-writer's SRV never moved to the in-region standby (last: {string.Join(", ", answer)})");
    }

    [Fact]
    public async Task SampleTopology_NoPostgres_DbWriterAnswersNothingAndAppNameIsUnchanged()
    {
        var closed = ClosedPort();
        var yaml = File.ReadAllText(SampleFile())
            .Replace("target: 127.0.0.11:5432", $"target: 127.0.9.6:{closed}")
            .Replace("target: 127.0.0.11:5433", $"target: 127.0.9.6:{closed}")
            .Replace("target: 127.0.0.12:5432", $"target: 127.0.9.6:{closed}")
            .Replace("127.0.0.", "127.0.9.");
        await using var dns = GslbTestServer.Start(yaml);

        Assert.True(await Polling.UntilTrueAsync(async () => (await Dig.ShortAsync(dns.Endpoint, "db-writer.mydomain.test", "A")).Length == 0
            && (await Dig.ShortAsync(dns.Endpoint, "db-reader.mydomain.test", "A")).Length == 0, TimeSpan.FromSeconds(15)),
            "db-writer/db-reader should answer nothing (fail closed) when no member is up");
        var status = await Dig.RunAsync(dns.Endpoint, "db-writer.mydomain.test", "A");
        Assert.Contains("status: NOERROR", status);
        Assert.NotEmpty(await Dig.ShortAsync(dns.Endpoint, "app.mydomain.test", "A")); // fail_open, as before
    }

    private static bool Same(string[] answer, params string[] expected) => answer.Order().SequenceEqual(expected.Order());

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string SampleFile()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Meridian.slnx")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "samples", "topologies", "two-region.yaml");
    }
}
