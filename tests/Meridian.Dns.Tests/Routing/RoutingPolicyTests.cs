using System.Net;
using Meridian.Dns.Tests.Support;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;
using static Meridian.Dns.Tests.Support.TestTopology;

namespace Meridian.Dns.Tests.Routing;

public sealed class RoutingPolicyTests
{
    private static readonly IPNetwork Europe = IPNetwork.Parse("81.2.69.0/24");
    private static readonly IPNetwork America = IPNetwork.Parse("24.1.2.0/24");

    private static GslbDnsServer Server(TestHealthView health, AllUnhealthyBehavior? whenAllUnhealthy = null, params RecordConfig[] records) =>
        new(Create(records, whenAllUnhealthy), health, NullLoggerFactory.Instance);

    private static string[] Values(GslbDnsServer server, string name, IPNetwork? client = null, string type = "A") =>
        server.Explain(Fqdn(name), type, client).Answers.Select(a => a.Value).ToArray();

    private static RecordConfig[] FailoverPair() =>
    [
        A("app", "primary", "127.0.0.11").With("primary", new RoutingPolicy.Failover(FailoverRole.Primary)),
        A("app", "secondary", "127.0.0.12").With("secondary", new RoutingPolicy.Failover(FailoverRole.Secondary)),
    ];

    [Fact]
    public async Task Failover_PrimaryHealthy_AnswersPrimary()
    {
        var health = new TestHealthView("primary", "secondary");
        await using var server = Server(health, null, FailoverPair());
        Assert.Equal(["127.0.0.11"], Values(server, "app"));
    }

    [Fact]
    public async Task Failover_PrimaryUnhealthy_AnswersSecondaryInNextAnswer()
    {
        var health = new TestHealthView("primary", "secondary");
        await using var server = Server(health, null, FailoverPair());
        Assert.Equal(["127.0.0.11"], Values(server, "app"));
        health.Set("primary", false);
        Assert.Equal(["127.0.0.12"], Values(server, "app"));
        health.Set("primary", true);
        Assert.Equal(["127.0.0.11"], Values(server, "app"));
    }

    [Fact]
    public async Task Failover_AllUnhealthy_FailsOpenToPrimary()
    {
        var health = new TestHealthView("primary", "secondary");
        await using var server = Server(health, null, FailoverPair());
        health.Set("primary", false);
        health.Set("secondary", false);
        var explain = server.Explain(Fqdn("app"), "A", null);
        Assert.Equal(["127.0.0.11"], explain.Answers.Select(a => a.Value));
        Assert.Contains(explain.Steps, s => s.Contains("fail open"));
    }

    [Fact]
    public async Task Failover_AllUnhealthyFailClosed_AnswersNodataWithSoa()
    {
        var health = new TestHealthView("primary", "secondary");
        await using var server = Server(health, AllUnhealthyBehavior.FailClosed, FailoverPair());
        health.Set("primary", false);
        health.Set("secondary", false);
        var explain = server.Explain(Fqdn("app"), "A", null);
        Assert.Equal("NOERROR", explain.Rcode);
        Assert.Empty(explain.Answers);
        Assert.Equal("SOA", Assert.Single(explain.Authority).Type);
    }

    [Fact]
    public async Task Failover_AllUnhealthyWithFallback_AnswersFallback()
    {
        var health = new TestHealthView("primary", "secondary");
        await using var server = Server(health, new AllUnhealthyBehavior(AllUnhealthyKind.Fallback, ["192.0.2.1"]), FailoverPair());
        health.Set("primary", false);
        health.Set("secondary", false);
        Assert.Equal(["192.0.2.1"], Values(server, "app"));
    }

    private static RecordConfig[] LatencyPair() =>
    [
        A("app", "us", "127.0.0.11").With("us", new RoutingPolicy.Latency("us-east-1")),
        A("app", "eu", "127.0.0.12").With("eu", new RoutingPolicy.Latency("eu-west-1")),
    ];

    [Fact]
    public async Task Latency_EcsSubnet_RoutesToNearestRegionWithScope()
    {
        await using var server = Server(new TestHealthView("us", "eu"), null, LatencyPair());
        var europe = server.Explain(Fqdn("app"), "A", Europe);
        Assert.Equal(["127.0.0.12"], europe.Answers.Select(a => a.Value));
        Assert.Equal(24, europe.EcsScope);
        Assert.Equal(["127.0.0.11"], Values(server, "app", America));
    }

    [Fact]
    public async Task Latency_NearestUnhealthy_RoutesToNextNearest()
    {
        var health = new TestHealthView("us", "eu");
        await using var server = Server(health, null, LatencyPair());
        health.Set("eu", false);
        Assert.Equal(["127.0.0.11"], Values(server, "app", Europe));
    }

    [Fact]
    public async Task Latency_ClientOutsideSpecificNetwork_ScopeExcludesIt()
    {
        await using var server = Server(new TestHealthView("us", "eu"), null, LatencyPair());
        // 81.2.68.0/24 shares 23 bits with 81.2.69.0/24: the answer holds for its /24, not wider.
        var result = server.Explain(Fqdn("app"), "A", IPNetwork.Parse("81.2.68.0/24"));
        Assert.Equal(["127.0.0.11"], result.Answers.Select(a => a.Value));
        Assert.Equal(24, result.EcsScope);
        var far = server.Explain(Fqdn("app"), "A", IPNetwork.Parse("200.0.0.0/24"));
        Assert.Equal(1, far.EcsScope);
    }

    [Fact]
    public async Task Weighted_ManyQueries_DistributionFollowsWeights()
    {
        RecordConfig[] records =
        [
            A("w", "a", "10.0.0.1").With("a", new RoutingPolicy.Weighted(1)),
            A("w", "b", "10.0.0.2").With("b", new RoutingPolicy.Weighted(3)),
            A("w", "z", "10.0.0.3").With("z", new RoutingPolicy.Weighted(0)),
        ];
        await using var server = Server(new TestHealthView("a", "b", "z"), null, records);
        var counts = Enumerable.Range(0, 4000).Select(_ => Values(server, "w").Single()).GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        Assert.False(counts.ContainsKey("10.0.0.3"));
        var share = counts["10.0.0.2"] / 4000.0;
        Assert.InRange(share, 0.70, 0.80);
    }

    [Fact]
    public async Task Weighted_AllWeightedUnhealthy_ZeroWeightRecordAnswers()
    {
        RecordConfig[] records =
        [
            A("w", "a", "10.0.0.1").With("a", new RoutingPolicy.Weighted(1)),
            A("w", "b", "10.0.0.2").With("b", new RoutingPolicy.Weighted(3)),
            A("w", "z", "10.0.0.3").With("z", new RoutingPolicy.Weighted(0)),
        ];
        var health = new TestHealthView("a", "b", "z");
        await using var server = Server(health, null, records);
        health.Set("a", false);
        health.Set("b", false);
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(["10.0.0.3"], Values(server, "w")));
    }

    private static RecordConfig[] GeoRecords() =>
    [
        A("geo", null, "10.1.0.1").With("gb", new RoutingPolicy.Geolocation(null, "GB", null)),
        A("geo", null, "10.1.0.2").With("sct", new RoutingPolicy.Geolocation(null, "GB", "SCT")),
        A("geo", null, "10.1.0.3").With("eu", new RoutingPolicy.Geolocation("EU", null, null)),
        A("geo", "default", "10.1.0.4").With("default", new RoutingPolicy.Geolocation(null, null, null)),
    ];

    [Theory]
    [InlineData("81.2.69.0/24", "10.1.0.1")]
    [InlineData("81.2.70.0/24", "10.1.0.2")]
    [InlineData("5.6.7.0/24", "10.1.0.3")]
    [InlineData("24.1.2.0/24", "10.1.0.4")]
    [InlineData("200.1.2.0/24", "10.1.0.4")]
    public async Task Geolocation_ClientLocation_MostSpecificRecordAnswers(string client, string expected)
    {
        await using var server = Server(new TestHealthView("default"), null, GeoRecords());
        Assert.Equal([expected], Values(server, "geo", IPNetwork.Parse(client)));
    }

    [Fact]
    public async Task Geolocation_NoMatchAndNoDefault_AnswersNodata()
    {
        await using var server = Server(new TestHealthView(), null, GeoRecords()[..3]);
        var result = server.Explain(Fqdn("geo"), "A", IPNetwork.Parse("24.1.2.0/24"));
        Assert.Equal("NOERROR", result.Rcode);
        Assert.Empty(result.Answers);
    }

    [Fact]
    public async Task IpBased_ClientInCollection_LocationRecordAnswersElseDefault()
    {
        var collection = new CidrCollectionConfig("corp",
            [new CidrLocationConfig("office", [IPNetwork.Parse("203.0.113.0/24")]), new CidrLocationConfig("dc", [IPNetwork.Parse("198.51.100.0/24")])],
            SourceLocation.None);
        RecordConfig[] records =
        [
            A("ip", null, "10.2.0.1").With("office", new RoutingPolicy.IpBased("corp", "office")),
            A("ip", null, "10.2.0.2").With("dc", new RoutingPolicy.IpBased("corp", "dc")),
            A("ip", null, "10.2.0.3").With("rest", new RoutingPolicy.IpBased("corp", "*")),
        ];
        await using var server = new GslbDnsServer(Create(records, null, [collection]), new TestHealthView(), NullLoggerFactory.Instance);
        Assert.Equal(["10.2.0.1"], Values(server, "ip", IPNetwork.Parse("203.0.113.0/24")));
        Assert.Equal(["10.2.0.2"], Values(server, "ip", IPNetwork.Parse("198.51.100.0/24")));
        Assert.Equal(["10.2.0.3"], Values(server, "ip", IPNetwork.Parse("192.0.2.0/24")));
    }

    [Fact]
    public async Task Multivalue_TenHealthyRecords_AnswersAtMostEightHealthy()
    {
        var names = Enumerable.Range(1, 10).Select(i => $"m{i}").ToArray();
        var records = names.Select((n, i) => A("multi", n, $"10.3.0.{i + 1}").With(n, RoutingPolicy.Multivalue.Instance)).ToArray();
        var health = new TestHealthView(names);
        await using var server = Server(health, null, records);
        Assert.Equal(8, Values(server, "multi").Length);
        for (var i = 1; i <= 8; i++)
        {
            health.Set($"m{i}", false);
        }

        Assert.Equal(["10.3.0.10", "10.3.0.9"], Values(server, "multi").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task NestedAliases_LatencyToFailoverToWeighted_FollowHealthThroughTheTree()
    {
        RecordConfig[] records =
        [
            Alias("app", "us.app", true, "us", new RoutingPolicy.Latency("us-east-1")),
            Alias("app", "eu.app", true, "eu", new RoutingPolicy.Latency("eu-west-1")),
            Alias("us.app", "us-pool.app", true, "primary", new RoutingPolicy.Failover(FailoverRole.Primary)),
            A("us.app", "eu-lb", "127.0.0.12").With("secondary", new RoutingPolicy.Failover(FailoverRole.Secondary)),
            A("eu.app", "eu-lb", "127.0.0.12").With("primary", new RoutingPolicy.Failover(FailoverRole.Primary)),
            A("eu.app", "us-a", "127.0.0.11").With("secondary", new RoutingPolicy.Failover(FailoverRole.Secondary)),
            A("us-pool.app", "us-a", "127.0.0.11").With("a", new RoutingPolicy.Weighted(1)),
            A("us-pool.app", "us-b", "127.0.0.21").With("b", new RoutingPolicy.Weighted(1)),
        ];
        var health = new TestHealthView("us-a", "us-b", "eu-lb");
        await using var server = Server(health, null, records);

        Assert.Contains(Values(server, "app", America).Single(), new[] { "127.0.0.11", "127.0.0.21" });
        health.Set("us-a", false);
        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal(["127.0.0.21"], Values(server, "app", America)));
        health.Set("us-b", false);
        var explain = server.Explain(Fqdn("app"), "A", America);
        Assert.Equal(["127.0.0.12"], explain.Answers.Select(a => a.Value));
        Assert.Equal(Fqdn("app"), explain.Answers.Single().Name);
        Assert.Contains(explain.Steps, s => s.Contains("alias target us-pool.app.mydomain.test has no healthy answer"));
    }
}
