using System.Net;
using System.Net.Http.Json;
using Meridian.Cli.Demo;
using Meridian.Cli.Tests.Support;
using Meridian.Drills;
using Meridian.Drills.Report;
using Meridian.Hosting;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Meridian.Cli.Tests.EndToEnd;

/// <summary>
/// The tutorial's request path end to end, in one test process: the demo topology (DNS → edge → regional load
/// balancer → app instances, two regions) with traffic through the edge and through DNS-resolved addresses while
/// us-east-1 is taken down and restored.
/// </summary>
public sealed class RequestPathEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("meridian-e2e-").FullName;
    private DemoRunner _demo = null!;
    private TopologyConfig _topology = null!;

    public async Task InitializeAsync()
    {
        _topology = DemoTopology.Load(_folder);
        _demo = await DemoRunner.StartAsync(_topology, NullLoggerFactory.Instance, CancellationToken.None);
        var dns = _topology.Dns.Listen[0];
        var client = DnsQueries.Client(dns);
        var us = _topology.FindRegion("us-east-1")!.Address.ToString();
        await Eventually.Until(async () => await client.AddressesAsync("app.mydomain.test") == us
            && _demo.Host.Balancers.All(b => b.HealthyTargets == 2)
            && _demo.Host.Edge!.GetOriginHealth().All(o => o.Status == Edge.EdgeOriginStatus.Healthy), TimeSpan.FromSeconds(20), "the demo topology to become healthy");
    }

    public async Task DisposeAsync()
    {
        await _demo.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private DrillOptions Drill(DrillMode mode) => new()
    {
        Region = "us-east-1",
        Mode = mode,
        Rate = 20,
        Duration = TimeSpan.FromSeconds(14),
        OutageAt = TimeSpan.FromSeconds(2),
        RestoreAt = TimeSpan.FromSeconds(8),
        DnsServer = _topology.Dns.Listen[0],
        AppName = "app.mydomain.test",
        CdnName = "cdn.mydomain.test",
        DirectPort = 8080,
        EdgePort = 8080,
        RegionAddresses = [_topology.FindRegion("us-east-1")!.Address],
        RegionChecks = ["us-east-1-app"],
        // A GET in flight when the region starts hanging waits out the origin's 1 s response timeout, then fails over.
        // On a loaded CI machine (where even the healthy region's checks time out) that took over the default 2 s
        // client timeout once; an edge that did not fail over answers 504 after 1 s and still counts as an error.
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    private async Task<DrillReport> RunDrillAsync(DrillMode mode)
    {
        var injector = new InProcessInjector(_demo.Host);
        var drill = new RegionOutageDrill(Drill(mode), injector, _ => Task.FromResult<IReadOnlyList<Health.HealthEvent>>(_demo.Host.Health!.Events.Snapshot()), TimeProvider.System);
        var report = await drill.RunAsync(null, CancellationToken.None);
        output.WriteLine(DrillReportWriter.Summary(report));
        return report;
    }

    [Theory]
    [InlineData(DrillMode.Refuse)]
    [InlineData(DrillMode.Hang)]
    public async Task RegionOutage_UsEast1Down_DnsFailsOverEdgeServesEveryGetAndFailsBack(DrillMode mode)
    {
        var report = await RunDrillAsync(mode);

        Assert.True(report.BaselineAnsweredRegion);
        // Detection is 1 s checks, fall 2, 250 ms confirmation: about 1.5 s; hanging adds the 1 s check timeout
        // once (hedged confirmation overlaps the two timing-out probes). The bound is generous for a loaded CI
        // machine; benchmarks measure the real figure.
        Assert.NotNull(report.DnsFailover);
        Assert.InRange(report.DnsFailover.Value, TimeSpan.Zero, TimeSpan.FromSeconds(6));
        var edge = report.Paths.Single(p => p.Path == "edge");
        Assert.Equal(0, edge.Errors);
        Assert.True(edge.AnsweredBy.ContainsKey("eu-west-1"), "the edge should have served from eu-west-1 during the outage");
        Assert.NotNull(report.DnsFailback);
        var dnsAfterRestore = report.Samples.Where(s => s.Path == "dns" && s.Offset > report.RestoreAt + report.DnsFailback!.Value).ToArray();
        Assert.NotEmpty(dnsAfterRestore);
        Assert.All(dnsAfterRestore, s => Assert.Equal("us-east-1", s.Region));
    }

    [Fact]
    public async Task Edge_PrimaryRegionFailingWith503_GetFailsOverPostIsNotRetried()
    {
        foreach (var app in _demo.Apps.Where(a => a.Region == "us-east-1"))
        {
            app.Control.SetError(503);
        }

        var edgeAddress = _topology.Edge.Locations.Single(l => l.Name == "edge-us").Listen[0];
        using var http = new HttpClient { BaseAddress = new Uri($"http://{edgeAddress}") };
        using var get = new HttpRequestMessage(HttpMethod.Get, "/api/region") { Headers = { Host = "cdn.mydomain.test" } };
        using var getResponse = await http.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, getResponse.StatusCode);
        Assert.Equal("eu-west-1", getResponse.Headers.GetValues("X-Region").Single());

        var euOrdersBefore = _demo.Apps.Where(a => a.Region == "eu-west-1").Sum(a => a.Control.OrderCount);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Headers = { Host = "cdn.mydomain.test" }, Content = JsonContent.Create(new { item = "x" }) };
        using var postResponse = await http.SendAsync(post);
        // The failing origin is now remembered as unhealthy, so the POST goes to the healthy one — once.
        // What matters: it is sent to exactly one origin and never replayed.
        var euOrdersAfter = _demo.Apps.Where(a => a.Region == "eu-west-1").Sum(a => a.Control.OrderCount);
        var usOrders = _demo.Apps.Where(a => a.Region == "us-east-1").Sum(a => a.Control.OrderCount);
        Assert.Equal(1, (euOrdersAfter - euOrdersBefore) + usOrders);
        output.WriteLine($"POST answered {(int)postResponse.StatusCode} from {string.Join(",", postResponse.Headers.TryGetValues("X-Region", out var r) ? r : [])}");
    }

    [Fact]
    public async Task Static_FromRegionalBuckets_HitThenFailsOverToOtherRegionsBucket()
    {
        var edgeAddress = _topology.Edge.Locations.Single(l => l.Name == "edge-us").Listen[0];
        using var http = new HttpClient { BaseAddress = new Uri($"http://{edgeAddress}") };
        async Task<(HttpStatusCode Status, string? Origin, string? Cache, string Body)> GetAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Host = "cdn.mydomain.test" } };
            using var response = await http.SendAsync(request);
            string? Header(string name) => response.Headers.TryGetValues(name, out var v) ? v.Single() : null;
            return (response.StatusCode, Header("X-Edge-Origin"), Header("X-Cache"), await response.Content.ReadAsStringAsync());
        }

        // The demo published the app's assets into the buckets; the edge serves /static/* from us-east-1's bucket.
        var first = await GetAsync("/static/app.css");
        var second = await GetAsync("/static/app.css");
        Assert.Equal((HttpStatusCode.OK, "assets-us-east-1", "Miss from edge-us"), (first.Status, first.Origin, first.Cache));
        Assert.Equal("Hit from edge-us", second.Cache);
        Assert.Equal(first.Body, second.Body);

        // us-east-1 goes down (its bucket's store with it): an asset not cached yet comes from eu-west-1's bucket.
        await _demo.Host.Outages.InjectAsync("us-east-1", hang: false, CancellationToken.None);
        var failedOver = await GetAsync("/static/logo.svg");
        Assert.Equal((HttpStatusCode.OK, "assets-eu-west-1"), (failedOver.Status, failedOver.Origin));
        Assert.Contains("<svg", failedOver.Body, StringComparison.Ordinal);
        await _demo.Host.Outages.RestoreAsync("us-east-1", CancellationToken.None);
    }

    /// <summary>Breaks the region through the host's outage controller, as POST /v1/drill/outage does.</summary>
    private sealed class InProcessInjector(MeridianHost host) : IOutageInjector
    {
        public Task InjectAsync(string region, DrillMode mode, CancellationToken token) => host.Outages.InjectAsync(region, mode == DrillMode.Hang, token);

        public Task RestoreAsync(string region, CancellationToken token) => host.Outages.RestoreAsync(region, token);
    }
}
