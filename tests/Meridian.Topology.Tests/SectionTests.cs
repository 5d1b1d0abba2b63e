using System.Net;

namespace Meridian.Topology.Tests;

public sealed class SectionTests
{
    private const string Regions = "regions:\n  us-east-1: { address: 127.0.0.11 }\n  eu-west-1: { address: 127.0.0.12 }\n";

    [Theory]
    [InlineData("regions:\n  us: { address: 1 }\n", "regions.us.address", 2)]
    [InlineData("regions:\n  us: { address: 127.0.0.1, continent: XX }\n", "regions.us.continent", 2)]
    [InlineData("regions:\n  us: { address: 127.0.0.1, country: USA }\n", "regions.us.country", 2)]
    [InlineData("regions:\n  us: { continent: NA }\n", "regions.us.address", 2)]
    [InlineData("regions:\n  us: { address: 127.0.0.1, adress: x }\n", "regions.us.adress", 2)]
    [InlineData("checkers: { locations: [a, a] }\n", "checkers.locations[1]", 1)]
    [InlineData("checkers: { unknown_is: maybe }\n", "checkers.unknown_is", 1)]
    [InlineData("checkers: { healthy_fraction: -0.1 }\n", "checkers.healthy_fraction", 1)]
    [InlineData("dns: { listen: [127.0.0.1:0] }\n", "dns.listen[0]", 1)]
    [InlineData("dns: { listen: ['::1:53'] }\n", "dns.listen[0]", 1)]
    [InlineData("dns: { max_udp_payload: 4097 }\n", "dns.max_udp_payload", 1)]
    [InlineData("dns: { tcp_idle_timeout: 0s }\n", "dns.tcp_idle_timeout", 1)]
    [InlineData("control: { listen: localhost:8053 }\n", "control.listen", 1)]
    [InlineData("geo: { networks: [ { network: 10.0.0.0/8 } ] }\n", "geo.networks[0]", 1)]
    [InlineData("geo: { networks: [ { network: 10.0.0.0/8, country: GB, subdivision: toolong } ] }\n", "geo.networks[0].subdivision", 1)]
    [InlineData("geo: { networks: [ { network: 10.0.0.0/33, country: GB } ] }\n", "geo.networks[0].network", 1)]
    [InlineData("cidr_collections:\n  c: { '*': [10.0.0.0/8] }\n", "cidr_collections.c.*", 2)]
    [InlineData("cidr_collections:\n  c: { a-location-name-too-long: [10.0.0.0/8] }\n", "cidr_collections.c.a-location-name-too-long", 2)]
    [InlineData("cidr_collections:\n  c: { 'bad name': [10.0.0.0/8] }\n", "cidr_collections.c.bad name", 2)]
    [InlineData("cidr_collections:\n  c: { ok: [10.0.0.1/8] }\n", "cidr_collections.c.ok[0]", 2)]
    [InlineData("cidr_collections:\n  c: { ok: [] }\n", "cidr_collections.c.ok", 2)]
    public void Load_InvalidSectionField_ReportsFieldPathAndLine(string yaml, string path, int line)
    {
        var result = Yaml.Load(yaml);
        Assert.Equal(line, Yaml.Single(result, path).Line);
    }

    [Fact]
    public void Load_LatencyUnknownRegion_ReportsAtRegionKeyWithSuggestion()
    {
        var result = Yaml.Load(Regions + "latency:\n  - { network: 10.0.0.0/8, rtt: { us-east-1: 10, eu-west-2: 20 } }\n");
        var error = Yaml.Single(result, "latency[0].rtt.eu-west-2");
        Assert.Equal((5, 50), (error.Line, error.Column));
        Assert.Contains("did you mean 'eu-west-1'?", error.Message);
    }

    [Fact]
    public void Load_LatencyCidrWithHostBits_SuggestsNetwork()
    {
        var result = Yaml.Load(Regions + "latency:\n  - { network: 81.2.69.5/24, rtt: { us-east-1: 10 } }\n");
        var error = Yaml.Single(result, "latency[0].network");
        Assert.Equal("'81.2.69.5/24' has host bits set; did you mean 81.2.69.0/24?", error.Message);
        Assert.Equal((5, 16), (error.Line, error.Column));
    }

    [Fact]
    public void Load_Ipv6CidrWithHostBits_SuggestsNetwork()
    {
        var result = Yaml.Load(Regions + "latency:\n  - { network: '2001:db8::1/32', rtt: { us-east-1: 10 } }\n");
        Assert.Contains("did you mean 2001:db8::/32?", Yaml.Single(result, "latency[0].network").Message);
    }

    [Fact]
    public void Load_LatencyEmptyRtt_ReportsError()
    {
        var result = Yaml.Load(Regions + "latency:\n  - { network: 10.0.0.0/8, rtt: {} }\n");
        Assert.Contains("at least one region", Yaml.Single(result, "latency[0].rtt").Message);
    }

    [Fact]
    public void Load_LatencyDuplicateNetwork_ReportsSecond()
    {
        var result = Yaml.Load(Regions + "latency:\n  - { network: 10.0.0.0/8, rtt: { us-east-1: 1 } }\n  - { network: 10.0.0.0/8, rtt: { us-east-1: 2 } }\n");
        Assert.Equal(6, Yaml.Single(result, "latency[1].network").Line);
    }

    [Fact]
    public void Load_LatencyNegativeRtt_ReportsRange()
    {
        var result = Yaml.Load(Regions + "latency:\n  - { network: 10.0.0.0/8, rtt: { us-east-1: -1 } }\n");
        Assert.Contains("between 0", Yaml.Single(result, "latency[0].rtt.us-east-1").Message);
    }

    [Fact]
    public void Load_MaxMindDatabaseMissing_ReportsError()
    {
        var result = Yaml.Load("geo: { maxmind_db: missing.mmdb }\n");
        Assert.Contains("not found", Yaml.Single(result, "geo.maxmind_db").Message);
    }

    [Fact]
    public void Load_MaxMindDatabaseRelative_ResolvesAgainstTopologyFolder()
    {
        var dir = Directory.CreateTempSubdirectory("meridian-topology-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "geo.mmdb"), "");
            var file = Path.Combine(dir.FullName, "topology.yaml");
            File.WriteAllText(file, "geo: { maxmind_db: geo.mmdb }\n");
            var result = TopologyLoader.Load(file);
            Yaml.NoErrors(result);
            Assert.Equal(Path.Combine(dir.FullName, "geo.mmdb"), result.Config!.Geo.MaxMindDatabase);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Load_CidrCollections_AreRead()
    {
        var result = Yaml.Load("cidr_collections:\n  office: { london: [10.1.0.0/16, '2001:db8::/32'], paris: 10.2.0.0/16 }\n");
        Yaml.NoErrors(result);
        var collection = Assert.Single(result.Config!.CidrCollections);
        Assert.Equal(["london", "paris"], collection.Locations.Select(l => l.Name));
        Assert.Equal(2, collection.Locations[0].Blocks.Count);
        Assert.Equal(IPNetwork.Parse("10.2.0.0/16"), collection.Locations[1].Blocks[0]);
    }

    [Fact]
    public void Load_DnsSection_ReadsIpv6ListenAndTimeout()
    {
        var result = Yaml.Load("dns: { listen: ['[::1]:53', 127.0.0.1:53], max_udp_payload: 4096, tcp_idle_timeout: 30s }\n");
        Yaml.NoErrors(result);
        Assert.Equal([IPEndPoint.Parse("[::1]:53"), IPEndPoint.Parse("127.0.0.1:53")], result.Config!.Dns.Listen);
        Assert.Equal(TimeSpan.FromSeconds(30), result.Config.Dns.TcpIdleTimeout);
    }

    [Fact]
    public void Load_GeoCodes_AreUpperCased()
    {
        var result = Yaml.Load("geo: { networks: [ { network: 10.0.0.0/8, country: us, subdivision: ca } ] }\n");
        Yaml.NoErrors(result);
        var entry = result.Config!.Geo.Networks[0];
        Assert.Equal(("US", "CA"), (entry.Country, entry.Subdivision));
    }

    [Fact]
    public void Load_OnlyDefaults_YieldsDefaultSections()
    {
        var result = Yaml.Load("regions: {}\n");
        Yaml.NoErrors(result);
        Assert.Equal(Model.DnsServerConfig.Default, result.Config!.Dns);
        Assert.Equal(Model.CheckersConfig.Default, result.Config.Checkers);
    }
}
