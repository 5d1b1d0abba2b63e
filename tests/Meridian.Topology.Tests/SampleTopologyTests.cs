using System.Net;
using Meridian.Topology.Model;

namespace Meridian.Topology.Tests;

public sealed class SampleTopologyTests
{
    private static TopologyConfig LoadSample()
    {
        var result = TopologyLoader.Load(TestFiles.SamplePath);
        Yaml.NoErrors(result);
        Assert.True(result.Succeeded);
        return result.Config!;
    }

    [Fact]
    public void Load_SampleFile_HasNoErrorsOrWarnings()
    {
        var result = TopologyLoader.Load(TestFiles.SamplePath);
        Yaml.NoErrors(result);
        Assert.Empty(result.Warnings);
        Assert.NotNull(result.Config);
        Assert.Equal(Path.GetFullPath(TestFiles.SamplePath), result.Config!.SourceFile);
    }

    [Fact]
    public void Load_SampleFile_ReadsRegionsInOrder()
    {
        var config = LoadSample();
        Assert.Equal(["us-east-1", "eu-west-1"], config.Regions.Select(r => r.Name));
        var us = config.Regions[0];
        Assert.Equal(IPAddress.Parse("127.0.0.11"), us.Address);
        Assert.Equal("NA", us.Continent);
        Assert.Equal("US", us.Country);
        Assert.Equal(8, us.Location.Line);
        Assert.Equal(3, us.Location.Column);
    }

    [Fact]
    public void Load_SampleFile_ReadsCheckersAndHealthChecks()
    {
        var config = LoadSample();
        Assert.Equal(["us-east-1", "eu-west-1", "edge-us"], config.Checkers.Locations);
        Assert.Equal(0.18, config.Checkers.HealthyFraction);
        Assert.Equal(UnknownHealthPolicy.Healthy, config.Checkers.UnknownIs);
        Assert.Equal(["us-east-1-app", "eu-west-1-app", "any-region", "edge-us", "edge-eu",
            "db-us-1-writer", "db-us-2-writer", "db-eu-1-writer", "db-us-1-up", "db-us-2-up", "db-eu-1-up"], config.HealthChecks.Select(h => h.Name));
        var app = config.FindHealthCheck("us-east-1-app")!;
        Assert.Equal(HealthCheckType.Http, app.Type);
        // The region check probes the load balancer's own health endpoint, not an app instance.
        var lb = config.LoadBalancers.Single(l => l.Name == "app-us");
        Assert.Equal((lb.Listen.Address.ToString(), lb.Listen.Port), (app.Host, app.Port));
        Assert.Equal(lb.HealthEndpoint, app.Path);
        Assert.Equal("/_meridian/health", app.Path);
        Assert.Equal(TimeSpan.FromSeconds(1), app.Interval);
        Assert.Equal(TimeSpan.FromSeconds(1), app.Timeout);
        Assert.Equal(2, app.Fall);
        Assert.Equal(2, app.Rise);
        Assert.Equal(TimeSpan.FromMilliseconds(250), app.ConfirmInterval);
        Assert.Equal([new StatusRange(200, 399)], app.ExpectedStatus);
        var any = config.FindHealthCheck("any-region")!;
        Assert.Equal(HealthCheckType.Calculated, any.Type);
        Assert.Equal(["us-east-1-app", "eu-west-1-app"], any.Children);
        Assert.Equal(CalculatedRule.AtLeast, any.Rule);
        Assert.Equal(1, any.AtLeast);
        var edge = config.FindHealthCheck("edge-eu")!;
        Assert.Equal((HealthCheckType.Tcp, "127.0.0.22", 8080), (edge.Type, edge.Host, edge.Port));
    }

    [Fact]
    public void Load_SampleFile_ReadsLoadBalancers()
    {
        var config = LoadSample();
        Assert.Equal(["app-us", "app-eu"], config.LoadBalancers.Select(l => l.Name));
        var us = config.LoadBalancers[0];
        Assert.Equal("us-east-1", us.Region);
        Assert.Equal(IPEndPoint.Parse("127.0.0.11:8080"), us.Listen);
        Assert.Equal(BalancingAlgorithm.LeastOutstandingRequests, us.Algorithm);
        Assert.Equal([new TargetConfig("127.0.0.11", 9101), new TargetConfig("127.0.0.11", 9102)], us.Targets);
        Assert.Equal("/health", us.Health.Path);
        Assert.Null(us.Health.Port);
        Assert.Equal(TimeSpan.FromSeconds(1), us.Health.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), us.Health.Timeout);
        Assert.Equal((2, 2), (us.Health.HealthyThreshold, us.Health.UnhealthyThreshold));
        Assert.Equal([new StatusRange(200, 200)], us.Health.Matcher);
        Assert.Equal(TimeSpan.FromSeconds(5), us.DeregistrationDelay);
        Assert.Equal("/_meridian/health", us.HealthEndpoint);
        Assert.Equal("X-Request-Id", us.RequestIdHeader);
        var eu = config.LoadBalancers[1];
        Assert.Equal(("eu-west-1", IPEndPoint.Parse("127.0.0.12:8080")), (eu.Region, eu.Listen));
        Assert.Equal([new TargetConfig("127.0.0.12", 9101), new TargetConfig("127.0.0.12", 9102)], eu.Targets);
        Assert.Equal(us.Health with { Matcher = [] }, eu.Health with { Matcher = [] });
        Assert.Equal(us.Health.Matcher, eu.Health.Matcher);
        // Every region has a load balancer.
        Assert.Equal(config.Regions.Select(r => r.Name), config.LoadBalancers.Select(l => l.Region));
    }

    [Fact]
    public void Load_SampleFile_ReadsEdge()
    {
        var config = LoadSample();
        Assert.Equal(["edge-us", "edge-eu"], config.Edge.Locations.Select(l => l.Name));
        Assert.Equal("us-east-1", config.Edge.Locations[0].Region);
        Assert.Equal([IPEndPoint.Parse("127.0.0.21:8080")], config.Edge.Locations[0].Listen);
        Assert.Equal([IPEndPoint.Parse("127.0.0.22:8080")], config.Edge.Locations[1].Listen);
        Assert.Equal([IPEndPoint.Parse("127.0.0.21:8443")], config.Edge.Locations[0].HttpsListen);
        Assert.Equal([IPEndPoint.Parse("127.0.0.22:8443")], config.Edge.Locations[1].HttpsListen);
        Assert.Equal(256L * 1024 * 1024, config.Edge.Cache.MemoryBytes);
        Assert.Null(config.Edge.Cache.DiskPath);

        var cdn = Assert.Single(config.Edge.Distributions);
        Assert.Equal("app-cdn", cdn.Name);
        Assert.Equal(["cdn.mydomain.test", "app.mydomain.test"], cdn.Aliases);
        Assert.Empty(cdn.Locations);
        Assert.Equal("regions", cdn.Target);
        Assert.Equal(["us-east-1", "eu-west-1", "assets-us-east-1", "assets-eu-west-1"], cdn.Origins.Select(o => o.Name));
        var origin = cdn.Origins[0];
        Assert.Equal(new Uri("http://127.0.0.11:8080"), origin.Url);
        Assert.Equal(TimeSpan.FromSeconds(2), origin.ConnectionTimeout);
        Assert.Equal(1, origin.ConnectionAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), origin.ResponseTimeout);
        Assert.True(origin.Probe.Enabled);
        Assert.Equal("/_meridian/health", origin.Probe.Path);
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500)), (origin.Probe.Interval, origin.Probe.Timeout));
        Assert.Equal(new Uri("http://127.0.0.12:8080"), cdn.Origins[1].Url);
        Assert.Equal(origin with { Name = "eu-west-1", Url = cdn.Origins[1].Url }, cdn.Origins[1]);
        // The first two origins are the regions' load balancers, the last two their asset buckets (S3 origins: the
        // URL's path is the bucket of the region's store).
        Assert.Equal(config.LoadBalancers.Select(l => l.Listen.ToString()), cdn.Origins.Take(2).Select(o => $"{o.Url.Host}:{o.Url.Port}"));
        Assert.Equal([new Uri("http://127.0.0.11:9000/assets-us-east-1"), new Uri("http://127.0.0.12:9000/assets-eu-west-1")], cdn.Origins.Skip(2).Select(o => o.Url));
        Assert.Equal(config.Storage.Stores.Select(s => s.Listen.ToString()), cdn.Origins.Skip(2).Select(o => $"{o.Url.Host}:{o.Url.Port}"));

        Assert.Equal(["regions", "assets"], cdn.OriginGroups.Select(g => g.Name));
        var group = cdn.OriginGroups[0];
        Assert.Equal(["us-east-1", "eu-west-1"], group.Members);
        Assert.Equal([500, 502, 503, 504], group.FailoverOn);
        var buckets = cdn.OriginGroups[1];
        Assert.Equal(["assets-us-east-1", "assets-eu-west-1"], buckets.Members);
        Assert.Equal([403, 404, 500, 502, 503, 504], buckets.FailoverOn);
    }

    [Fact]
    public void Load_SampleFile_ReadsCacheBehaviors()
    {
        var cdn = LoadSample().Edge.Distributions.Single();
        // No certificates: the demo edge generates a self-signed one at startup.
        Assert.Empty(cdn.Certificates);
        Assert.Same(DistributionConfig.DefaultErrorCachingMinTtl, cdn.ErrorCachingMinTtl);
        Assert.Equal(["/static/*", "*"], cdn.Behaviors.Select(b => b.PathPattern));

        var assets = cdn.Behaviors[0];
        Assert.Equal("assets", assets.Target); // the regions' buckets
        Assert.Equal(new TtlConfig(TimeSpan.Zero, TimeSpan.FromDays(1), TimeSpan.FromDays(365)), assets.Ttl);
        Assert.True(assets.Compress);
        Assert.Equal(TimeSpan.FromHours(1), assets.StaleIfError);
        Assert.Null(assets.StaleWhileRevalidate);
        Assert.Equal((ViewerProtocolPolicy.AllowAll, AllowedMethods.GetHead, CachedMethods.GetHead),
            (assets.ViewerProtocol, assets.AllowedMethods, assets.CachedMethods));
        Assert.Same(CacheKeyConfig.Default, assets.CacheKey);

        // The tutorial's dynamic API: min TTL 0, at most a few seconds.
        var api = cdn.Behaviors[1];
        Assert.Equal("regions", api.Target);
        Assert.Equal(new TtlConfig(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(5)), api.Ttl);
        Assert.Equal(AllowedMethods.All, api.AllowedMethods);
        Assert.Equal(KeyListPolicy.All, api.CacheKey.QueryStrings);
        Assert.Equal(KeyListPolicy.None, api.CacheKey.Cookies);
        Assert.Empty(api.CacheKey.Headers);
        Assert.Equal(TimeSpan.FromSeconds(30), api.StaleIfError);
        Assert.False(api.Compress);
    }

    [Fact]
    public void Load_SampleFile_ReadsLatencyGeoDnsAndControl()
    {
        var config = LoadSample();
        Assert.Equal(2, config.Latency.Entries.Count);
        Assert.Equal(IPNetwork.Parse("81.2.69.0/24"), config.Latency.Entries[0].Network);
        Assert.Equal(12, config.Latency.Entries[0].RttMs["eu-west-1"]);
        var geo = Assert.Single(config.Geo.Networks);
        Assert.Equal(("EU", "GB"), (geo.Continent, geo.Country));
        Assert.Null(config.Geo.MaxMindDatabase);
        Assert.Equal([IPEndPoint.Parse("127.0.0.1:5353")], config.Dns.Listen);
        Assert.Equal(1232, config.Dns.MaxUdpPayload);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:8053"), config.Control.Listen);
    }

    [Fact]
    public void Load_SampleFile_ReadsZoneAndRecords()
    {
        var config = LoadSample();
        var zone = Assert.Single(config.Zones);
        Assert.Equal("mydomain.test", zone.Name);
        Assert.Equal("ns1.mydomain.test", zone.Soa.PrimaryNs);
        Assert.Equal("hostmaster.mydomain.test", zone.Soa.Hostmaster);
        Assert.Equal(60u, zone.Soa.Minimum);
        Assert.Equal(7200u, zone.Soa.Refresh);
        Assert.Equal(["ns1.mydomain.test"], zone.NameServers);
        Assert.Equal(AllUnhealthyKind.FailOpen, zone.WhenAllUnhealthy.Kind);
        Assert.Equal(35, zone.Records.Count); // 16 + 19 for the database names

        var app = zone.Records.Where(r => r.Name == "app.mydomain.test").ToList();
        Assert.Equal(2, app.Count);
        Assert.Equal(new RoutingPolicy.Latency("us-east-1"), app[0].Routing);
        Assert.Equal(new AliasConfig("us-east-1.app.mydomain.test", true), app[0].Alias);
        Assert.Equal("us-east-1", app[0].SetId);
        Assert.Equal(5u, app[0].Ttl);

        var primary = zone.Records.First(r => r.Name == "us-east-1.app.mydomain.test");
        Assert.Equal(new RoutingPolicy.Failover(FailoverRole.Primary), primary.Routing);
        Assert.Equal(["127.0.0.11"], primary.Values);
        Assert.Equal("us-east-1-app", primary.HealthCheck);

        var cdn = zone.Records.Where(r => r.Name == "cdn.mydomain.test").ToList();
        Assert.Equal(2, cdn.Count);
        Assert.Equal(new RoutingPolicy.Latency("us-east-1"), cdn[0].Routing);
        Assert.Equal(["127.0.0.21"], cdn[0].Values);
        Assert.Equal("edge-us", cdn[0].HealthCheck);
        Assert.Equal(new RoutingPolicy.Latency("eu-west-1"), cdn[1].Routing);
        Assert.Equal(["127.0.0.22"], cdn[1].Values);
        Assert.Equal("edge-eu", cdn[1].HealthCheck);

        var mx = zone.Records.Single(r => r.Type == RecordType.MX);
        Assert.Equal("mydomain.test", mx.Name);
        Assert.Equal(["10 mail.mydomain.test"], mx.Values);
        Assert.Same(RoutingPolicy.Simple.Instance, mx.Routing);
        Assert.Contains(zone.Records, r => r.Name == "_sip._tcp.mydomain.test" && r.Type == RecordType.SRV);
    }

    [Fact]
    public void Load_SampleFile_DbWriterAnswersOnlyWritablePrimaryAndFailsClosed()
    {
        var config = LoadSample();
        var writer = config.Zones[0].Records.Where(r => r.Name == "db-writer.mydomain.test").ToList();
        Assert.Equal(3, writer.Count);
        Assert.All(writer, r =>
        {
            Assert.Equal(RoutingPolicy.Multivalue.Instance, r.Routing);
            Assert.Equal(AllUnhealthyKind.FailClosed, r.WhenAllUnhealthy!.Kind);
            var check = config.FindHealthCheck(r.HealthCheck!)!;
            Assert.Equal(HealthCheckType.Postgres, check.Type);
            Assert.Equal(PostgresRole.Primary, check.PostgresRole);
        });
        var srvPorts = config.Zones[0].Records.Where(r => r.Name == "_postgresql._tcp.db-writer.mydomain.test")
            .Select(r => (r.Values[0], config.FindHealthCheck(r.HealthCheck!)!.Port)).ToList();
        Assert.Equal(3, srvPorts.Count);
        Assert.All(srvPorts, p => Assert.Contains($" {p.Port} ", p.Item1)); // each SRV names its member's checked port
    }
}
