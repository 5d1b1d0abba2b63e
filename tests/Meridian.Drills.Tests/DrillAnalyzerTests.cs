using System.Net;
using System.Xml.Linq;
using Meridian.Drills.Client;
using Meridian.Drills.Report;
using Meridian.Health;

namespace Meridian.Drills.Tests;

public sealed class DrillAnalyzerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 5, 0, 0, TimeSpan.Zero);

    private static readonly DrillOptions Options = new()
    {
        Region = "us-east-1",
        DnsServer = new IPEndPoint(IPAddress.Loopback, 5353),
        AppName = "app.mydomain.test",
        CdnName = "cdn.mydomain.test",
        RegionAddresses = [IPAddress.Parse("127.0.0.11")],
        RegionChecks = ["us-east-1-app"],
        Duration = TimeSpan.FromSeconds(30),
        OutageAt = TimeSpan.FromSeconds(5),
        RestoreAt = TimeSpan.FromSeconds(15),
    };

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static ProbeSample Dns(double at, string? region) =>
        new("dns", S(at), region is not null, region ?? "timeout", region, TimeSpan.FromMilliseconds(1));

    private static ProbeSample Http(string path, double at, bool ok) =>
        new(path, S(at), ok, ok ? "HTTP 200" : "connection refused", ok ? "eu-west-1" : null, TimeSpan.FromMilliseconds(3));

    private static HealthEvent Event(double at, string? location, HealthStatus old, HealthStatus @new) =>
        new(Start + S(at), "us-east-1-app", location, old, @new, "connection refused", null);

    private static DrillReport Analyze(IEnumerable<ProbeSample> samples, IEnumerable<HealthEvent> events) =>
        DrillAnalyzer.Analyze(Options, Start, samples.ToArray(), S(5), S(15), events.ToArray());

    [Fact]
    public void Analyze_FullDrill_FiguresCountFromOutageAndRestore()
    {
        ProbeSample[] samples =
        [
            Dns(1, "us-east-1"), Dns(5.5, "us-east-1"), Dns(6.4, "other"), Dns(14, "other"), Dns(16.3, "other"), Dns(16.9, "us-east-1"),
            Http("edge", 4, true), Http("edge", 6, true), Http("direct", 5.2, false), Http("direct", 6.3, false), Http("direct", 7, true),
        ];
        HealthEvent[] events =
        [
            Event(0.5, "us-east-1", HealthStatus.Unknown, HealthStatus.Healthy),
            Event(6.1, "us-east-1", HealthStatus.Healthy, HealthStatus.Unhealthy),
            Event(6.3, null, HealthStatus.Healthy, HealthStatus.Unhealthy),
            Event(16.8, null, HealthStatus.Unhealthy, HealthStatus.Healthy),
        ];

        var report = Analyze(samples, events);

        Assert.True(report.BaselineAnsweredRegion);
        Assert.Equal(1.1, report.FirstCheckFailure!.Value.TotalSeconds, 3);
        Assert.Equal(1.3, report.RegionMarkedUnhealthy!.Value.TotalSeconds, 3);
        Assert.Equal(1.4, report.DnsFailover!.Value.TotalSeconds, 3);
        Assert.Equal(1.8, report.RegionHealthyAgain!.Value.TotalSeconds, 3);
        Assert.Equal(1.9, report.DnsFailback!.Value.TotalSeconds, 3);
        var edge = report.Paths.Single(p => p.Path == "edge");
        var direct = report.Paths.Single(p => p.Path == "direct");
        Assert.Equal((2, 0), (edge.Requests, edge.Errors));
        Assert.Equal((3, 2, 2), (direct.Requests, direct.Errors, direct.ErrorsDuringOutage));
        Assert.Contains(report.Timeline, t => t.Event == "first direct error" && t.Offset == S(5.2));
    }

    [Fact]
    public void Analyze_RegionNeverFailedOver_FiguresNotObserved()
    {
        var report = Analyze([Dns(1, "us-east-1"), Dns(8, "us-east-1")], []);
        Assert.Null(report.DnsFailover);
        Assert.Null(report.RegionMarkedUnhealthy);
        Assert.Contains("not observed", DrillReportWriter.Summary(report));
    }

    [Fact]
    public void Analyze_BaselineAnsweredAnotherRegion_Flagged()
    {
        var report = Analyze([Dns(1, "other"), Dns(8, "other")], []);
        Assert.False(report.BaselineAnsweredRegion);
        Assert.Contains("not meaningful", DrillReportWriter.Summary(report));
    }

    [Fact]
    public void WriteFiles_Report_JsonMarkdownAndWellFormedSvg()
    {
        var report = Analyze([Dns(1, "us-east-1"), Dns(6, "other"), Http("edge", 6, true), Http("direct", 6, false)],
            [Event(6, null, HealthStatus.Healthy, HealthStatus.Unhealthy)]);
        var folder = Path.Combine(Path.GetTempPath(), $"meridian-drill-{Guid.NewGuid():N}");
        try
        {
            var files = DrillReportWriter.WriteFiles(report, folder);
            Assert.Equal(3, files.Count);
            var svg = XDocument.Parse(File.ReadAllText(files.Single(f => f.EndsWith(".svg"))));
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            var markdown = File.ReadAllText(files.Single(f => f.EndsWith(".md")));
            Assert.Contains("![timeline](drill-timeline.svg)", markdown);
            Assert.Contains("outage → first DNS answer without region | 1.00 s", markdown);
            Assert.Contains("\"dnsFailover\"", File.ReadAllText(files.Single(f => f.EndsWith(".json"))));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
