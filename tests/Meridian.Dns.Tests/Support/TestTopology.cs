using System.Net;
using Meridian.Topology.Model;

namespace Meridian.Dns.Tests.Support;

/// <summary>Builds topologies in code for DNS tests: two regions, a latency map and a geo map like the sample.</summary>
internal static class TestTopology
{
    public const string Zone = "mydomain.test";

    public static TopologyConfig Create(IEnumerable<RecordConfig> records, AllUnhealthyBehavior? whenAllUnhealthy = null,
        IEnumerable<CidrCollectionConfig>? collections = null, int maxUdpPayload = 1232) => new()
    {
        SourceFile = "test.yaml",
        Regions =
        [
            new RegionConfig("us-east-1", IPAddress.Parse("127.0.0.11"), "NA", "US", SourceLocation.None),
            new RegionConfig("eu-west-1", IPAddress.Parse("127.0.0.12"), "EU", "IE", SourceLocation.None),
        ],
        Latency = new LatencyConfig(
        [
            new LatencyEntry(IPNetwork.Parse("81.2.69.0/24"), new Dictionary<string, int> { ["us-east-1"] = 85, ["eu-west-1"] = 12 }, SourceLocation.None),
            new LatencyEntry(IPNetwork.Parse("0.0.0.0/0"), new Dictionary<string, int> { ["us-east-1"] = 40, ["eu-west-1"] = 90 }, SourceLocation.None),
        ]),
        Geo = new GeoConfig(
        [
            new GeoEntry(IPNetwork.Parse("81.2.69.0/24"), "EU", "GB", null, SourceLocation.None),
            new GeoEntry(IPNetwork.Parse("81.2.70.0/24"), "EU", "GB", "SCT", SourceLocation.None),
            new GeoEntry(IPNetwork.Parse("5.0.0.0/8"), "EU", "DE", null, SourceLocation.None),
            new GeoEntry(IPNetwork.Parse("24.0.0.0/8"), "NA", "US", null, SourceLocation.None),
        ], null),
        CidrCollections = collections?.ToArray() ?? [],
        Dns = new DnsServerConfig([new IPEndPoint(IPAddress.Loopback, 0)], maxUdpPayload, TimeSpan.FromSeconds(5)),
        Zones =
        [
            new ZoneConfig
            {
                Name = Zone,
                Soa = new SoaConfig("ns1.mydomain.test", "hostmaster.mydomain.test", 1, 7200, 900, 1209600, 60, 900),
                NameServers = ["ns1.mydomain.test"],
                WhenAllUnhealthy = whenAllUnhealthy ?? AllUnhealthyBehavior.FailOpen,
                Records = [A("ns1", null, "127.0.0.1"), .. records],
            },
        ],
    };

    public static string Fqdn(string name) => name == "@" ? Zone : $"{name}.{Zone}";

    public static RecordConfig A(string name, string? healthCheck, params string[] values) =>
        Record(name, RecordType.A, healthCheck, values);

    public static RecordConfig Record(string name, RecordType type, string? healthCheck, params string[] values) => new()
    {
        Name = Fqdn(name),
        Type = type,
        Ttl = 60,
        Values = values,
        HealthCheck = healthCheck,
    };

    public static RecordConfig With(this RecordConfig record, string setId, RoutingPolicy routing) =>
        record with { SetId = setId, Routing = routing };

    public static RecordConfig Alias(string name, string target, bool evaluate, string setId, RoutingPolicy routing) => new()
    {
        Name = Fqdn(name),
        Type = RecordType.A,
        Ttl = 60,
        SetId = setId,
        Routing = routing,
        Alias = new AliasConfig(Fqdn(target), evaluate),
    };
}
