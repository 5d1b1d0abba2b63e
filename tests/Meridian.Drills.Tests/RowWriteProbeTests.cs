using System.Globalization;
using System.Net;
using Meridian.Drills.Data;
using Meridian.Drills.Report;
using Meridian.SampleApp;
using Meridian.SampleApp.Data;
using Meridian.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Meridian.Drills.Tests;

/// <summary>
/// The drill's row writer against the real sample app, real PostgreSQL (primary + streaming standby) and Meridian's
/// real DNS with postgres checks: the outage stops the primary and promotes the standby mid-run.
/// Not in parallel with the object writer's timing-sensitive tests (same collection).
/// </summary>
[Collection("data-tier writers")]
public sealed class RowWriteProbeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Run_PrimaryStoppedStandbyPromoted_ReportsRecoveryOnNewPrimaryAndRpo()
    {
        await using var primary = await PostgresTestServer.StartPrimaryAsync(IPAddress.Parse("127.0.10.1"));
        await using var standby = await PostgresTestServer.StartStandbyAsync(primary, IPAddress.Parse("127.0.10.2"));
        await using var dns = GslbTestServer.Start(DatabaseDnsTopology.Yaml([primary, standby]));
        await using var app = await StartAppAsync(dns.Endpoint);
        using var probe = Probe(app);
        Assert.Null(await WaitForWriterAsync(probe));

        var report = await DrillAsync(probe, async () =>
        {
            await primary.StopAsync();
            await standby.PromoteAsync();
        });

        output.WriteLine($"rows {report.Attempted}/{report.Acknowledged}/{report.Failed}, RPO {report.MissingAfterRecovery}, " +
            $"first failure {report.FirstFailedWrite?.TotalSeconds:0.00} s, RTO {report.WriteRecovery?.TotalSeconds:0.00} s");
        Assert.True(report.AcknowledgedBeforeOutage >= 10, $"{report.AcknowledgedBeforeOutage} acknowledged before the outage");
        Assert.Equal(Endpoint(primary), report.WriterBeforeOutage);
        Assert.Equal(Endpoint(standby), report.WriterAfter);
        Assert.NotNull(report.FirstFailedWrite);
        Assert.NotNull(report.WriteRecovery);
        Assert.InRange(report.WriteRecovery!.Value, report.FirstFailedWrite!.Value, TimeSpan.FromSeconds(15));
        Assert.NotNull(report.MissingAfterRecovery);
        // Asynchronous streaming replication of an idle-ish primary: at most a second of rows (the issue's target).
        Assert.InRange(report.MissingAfterRecovery!.Value, 0, 20);
        Assert.Null(report.LagAtOutage);
        Assert.Contains(report.Notes, n => n.Contains("not known", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_StandbyNotReplicatingWhenPrimaryDies_CountsEveryRowAcknowledgedBeforeOutageAsLost()
    {
        await using var primary = await PostgresTestServer.StartPrimaryAsync(IPAddress.Parse("127.0.10.3"));
        await using var standby = await PostgresTestServer.StartStandbyAsync(primary, IPAddress.Parse("127.0.10.4"));
        await using var dns = GslbTestServer.Start(DatabaseDnsTopology.Yaml([primary, standby]));
        await using var app = await StartAppAsync(dns.Endpoint);
        using var probe = Probe(app);
        Assert.Null(await WaitForWriterAsync(probe)); // creates the tables, replicated to the standby
        await WaitForTablesOnAsync(standby);
        await standby.StopAsync(); // from here the primary's writes reach no replica

        var report = await DrillAsync(probe, async () =>
        {
            await primary.StopAsync();
            await standby.StartAsync();
            await standby.PromoteAsync();
        });

        Assert.True(report.AcknowledgedBeforeOutage >= 10, $"{report.AcknowledgedBeforeOutage} acknowledged before the outage");
        Assert.Equal(report.AcknowledgedBeforeOutage, report.MissingAfterRecovery);
        Assert.Equal(Math.Min(20, report.AcknowledgedBeforeOutage), report.MissingRows.Count);
        Assert.Equal(Endpoint(standby), report.WriterAfter);
        var summary = DrillReportWriter.Summary(Report(report));
        Assert.Matches($@"database RPO: acknowledged rows missing\s+{report.MissingAfterRecovery} rows", summary);
    }

    [Fact]
    public async Task Preflight_AppWithoutDatabase_SaysWhy()
    {
        await using var app = await StartAppAsync(database: null);
        using var probe = Probe(app);

        var why = await probe.PreflightAsync(CancellationToken.None);

        Assert.NotNull(why);
        Assert.Contains("503", why);
        Assert.Contains("--db-writer", why);
    }

    [Fact]
    public void Probe_RateOutOfBounds_Refused()
    {
        Assert.Throws<DrillException>(() => new RowWriteProbe(
            new RowDrillOptions { Target = new Uri("http://127.0.0.1:1/"), Rate = 0 }, TimeProvider.System, TimeSpan.FromSeconds(1)));
    }

    private static async Task<DatabaseTierReport> DrillAsync(RowWriteProbe probe, Func<Task> outage)
    {
        var time = TimeProvider.System;
        var start = time.GetTimestamp();
        using var stop = new CancellationTokenSource();
        var running = probe.RunAsync(start, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the drill's schedule: a healthy baseline first
        await probe.OnOutageAsync(time.GetElapsedTime(start), CancellationToken.None);
        await outage();
        await Task.Delay(TimeSpan.FromSeconds(5)); // writes continue through the failover
        stop.Cancel();
        await running;
        return await probe.FinishAsync(CancellationToken.None);
    }

    /// <summary>Until the first checks ran, db-writer may answer every member; wait until writes work.</summary>
    private static async Task<string?> WaitForWriterAsync(RowWriteProbe probe)
    {
        string? why = "not tried";
        await Polling.UntilTrueAsync(async () => (why = await probe.PreflightAsync(CancellationToken.None)) is null, TimeSpan.FromSeconds(20));
        return why;
    }

    private static async Task WaitForTablesOnAsync(PostgresTestServer standby)
    {
        var replicated = await Polling.UntilTrueAsync(async () =>
        {
            try
            {
                await standby.SqlAsync("SELECT 1 FROM drill_rows LIMIT 1");
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20));
        if (!replicated)
        {
            throw new TimeoutException("drill_rows never replicated to the standby");
        }
    }

    private static RowWriteProbe Probe(RunningApp app) => new(
        new RowDrillOptions { Target = app.BaseAddress, Rate = 20, RecoveryWait = TimeSpan.FromSeconds(15) },
        TimeProvider.System,
        TimeSpan.FromSeconds(3));

    private static string Endpoint(PostgresTestServer server) => $"{server.Address}:{server.Port.ToString(CultureInfo.InvariantCulture)}";

    private static DrillReport Report(DatabaseTierReport database) => new()
    {
        Region = "us-east-1",
        Mode = DrillMode.Refuse,
        StartedAt = DateTimeOffset.UnixEpoch,
        Duration = TimeSpan.FromSeconds(10),
        OutageAt = TimeSpan.FromSeconds(1.5),
        RestoreAt = TimeSpan.FromSeconds(6),
        BaselineAnsweredRegion = true,
        Timeline = [],
        Paths = [],
        Samples = [],
        Database = database,
    };

    private static Task<RunningApp> StartAppAsync(IPEndPoint dns) => StartAppAsync(new DatabaseOptions
    {
        Writer = new DatabaseEndpoint(DatabaseDnsTopology.Writer, 5432),
        User = "postgres",
        Database = "postgres",
        Dns = dns,
        ConnectTimeout = TimeSpan.FromSeconds(1),
    });

    private static async Task<RunningApp> StartAppAsync(DatabaseOptions? database)
    {
        var app = SampleApplication.Build(new SampleAppOptions
        {
            Region = "us-east-1",
            InstanceId = "us-1",
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Database = database,
            ConfigureLogging = logging => logging.ClearProviders(),
        });
        await app.StartAsync();
        return new RunningApp(app, SampleApplication.GetBaseAddress(app));
    }

    private sealed record RunningApp(WebApplication App, Uri BaseAddress) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
