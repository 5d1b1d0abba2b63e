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
        Assert.Equal(6, us.Location.Line);
        Assert.Equal(3, us.Location.Column);
    }

    [Fact]
    public void Load_SampleFile_ReadsCheckersAndHealthChecks()
    {
        var config = LoadSample();
        Assert.Equal(["us-east-1", "eu-west-1", "edge-us"], config.Checkers.Locations);
        Assert.Equal(0.18, config.Checkers.HealthyFraction);
        Assert.Equal(UnknownHealthPolicy.Healthy, config.Checkers.UnknownIs);
        Assert.Equal(3, config.HealthChecks.Count);
        var app = config.FindHealthCheck("us-east-1-app")!;
        Assert.Equal(HealthCheckType.Http, app.Type);
        Assert.Equal("127.0.0.11", app.Host);
        Assert.Equal(8080, app.Port);
        Assert.Equal("/health", app.Path);
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
        Assert.Equal(14, zone.Records.Count);

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

        var mx = zone.Records.Single(r => r.Type == RecordType.MX);
        Assert.Equal("mydomain.test", mx.Name);
        Assert.Equal(["10 mail.mydomain.test"], mx.Values);
        Assert.Same(RoutingPolicy.Simple.Instance, mx.Routing);
        Assert.Contains(zone.Records, r => r.Name == "_sip._tcp.mydomain.test" && r.Type == RecordType.SRV);
    }
}
