using System.Net;
using Meridian.Dns.Answering;
using Meridian.Dns.Clients;
using Meridian.Dns.Tests.Support;
using Meridian.Dns.Zones;
using Meridian.Topology.Model;
using static Meridian.Dns.Tests.Support.TestTopology;

namespace Meridian.Dns.Tests.Answering;

/// <summary>
/// The answer path allocates nothing per query in steady state (a property, not a timing): after a warm-up,
/// N Respond calls on this thread leave <see cref="GC.GetAllocatedBytesForCurrentThread"/> unchanged.
/// The tree is bench/dns/bench-topology.yaml's: latency between regions, each a health-checked failover pair.
/// </summary>
public sealed class AnswerPathAllocationTests
{
    private const int Queries = 10_000;
    private static readonly ClientAddress Source = ClientAddress.FromIPAddress(IPAddress.Loopback);

    private static (DnsAnswerEngine Engine, TestHealthView Health) Engine()
    {
        var health = new TestHealthView("us-east-1-app", "eu-west-1-app");
        var topology = Create(
        [
            A("static", null, "127.0.0.11"),
            Alias("app", "us-east-1.app", true, "us-east-1", new RoutingPolicy.Latency("us-east-1")),
            Alias("app", "eu-west-1.app", true, "eu-west-1", new RoutingPolicy.Latency("eu-west-1")),
            A("us-east-1.app", "us-east-1-app", "127.0.0.11").With("primary", new RoutingPolicy.Failover(FailoverRole.Primary)),
            A("us-east-1.app", "eu-west-1-app", "127.0.0.12").With("secondary", new RoutingPolicy.Failover(FailoverRole.Secondary)),
            A("eu-west-1.app", "eu-west-1-app", "127.0.0.12").With("primary", new RoutingPolicy.Failover(FailoverRole.Primary)),
            A("eu-west-1.app", "us-east-1-app", "127.0.0.11").With("secondary", new RoutingPolicy.Failover(FailoverRole.Secondary)),
        ]);
        var geo = new GeoLocator(topology.Geo);
        return (new DnsAnswerEngine(ZoneCompiler.Compile(topology, health, geo), topology.Dns.MaxUdpPayload), health);
    }

    public static TheoryData<string, string, string?, int> Cases => new()
    {
        // name, qtype, ECS subnet (null: none, and then no EDNS either), expected rcode
        { "static.mydomain.test", "A", null, 0 },
        { "app.mydomain.test", "A", null, 0 },
        { "app.mydomain.test", "A", "81.2.69.0/24", 0 },
        { "app.mydomain.test", "AAAA", null, 0 },
        { "nope.mydomain.test", "A", null, 3 },
        { "example.org", "A", null, 5 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Respond_SteadyState_AllocatesNothing(string name, string type, string? subnet, int rcode)
    {
        var (engine, _) = Engine();
        var query = Build(name, type, subnet);
        var response = new byte[65535];

        var warm = Respond(engine, query, response, 1_000);
        Assert.Equal(rcode, response[3] & 0x0F);
        Assert.True(warm > 12);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Respond(engine, query, response, Queries);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Respond_AfterFailover_AllocatesNothing()
    {
        var (engine, health) = Engine();
        var query = Build("app.mydomain.test", "A", null);
        var response = new byte[65535];
        health.Set("us-east-1-app", false); // latency picks us-east-1, whose primary is down: the secondary answers
        Respond(engine, query, response, 1_000);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Respond(engine, query, response, Queries);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal([127, 0, 0, 12], response.AsSpan(Respond(engine, query, response, 1) - 4, 4).ToArray());
    }

    private static int Respond(DnsAnswerEngine engine, byte[] query, byte[] response, int times)
    {
        var length = 0;
        for (var i = 0; i < times; i++)
        {
            length = engine.Respond(query, response, Source, overTcp: false);
        }

        return length;
    }

    /// <summary>A dnsperf-style plain query, or an EDNS query with ECS (QueryBuilder always adds EDNS).</summary>
    private static byte[] Build(string name, string type, string? subnet)
    {
        var built = QueryBuilder.Build(name, GslbDnsServer.ParseType(type), subnet is null ? null : IPNetwork.Parse(subnet));
        if (subnet is not null)
        {
            return built;
        }

        // Strip the OPT record (11 bytes) and zero ARCOUNT: what dnsperf sends by default.
        var plain = built.AsSpan(0, built.Length - 11).ToArray();
        plain[11] = 0;
        return plain;
    }
}
