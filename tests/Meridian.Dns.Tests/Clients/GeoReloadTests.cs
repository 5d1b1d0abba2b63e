using System.Net;
using Meridian.Dns.Tests.Support;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Meridian.Dns.Tests.Support.TempMmdbFiles;
using static Meridian.Dns.Tests.Support.TestTopology;

namespace Meridian.Dns.Tests.Clients;

/// <summary>A reload that changes the geolocation database closes the old one after a grace, not at once and not never.</summary>
public sealed class GeoReloadTests : IDisposable
{
    private readonly TempMmdbFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static RecordConfig[] GeoRecords() =>
    [
        A("geo", null, "10.1.0.1").With("gb", new RoutingPolicy.Geolocation(null, "GB", null)),
        A("geo", "default", "10.1.0.4").With("default", new RoutingPolicy.Geolocation(null, null, null)),
    ];

    private TopologyConfig Topology(MmdbWriter database) => Create(GeoRecords()) with { Geo = new GeoConfig([], _files.Write(database)) };

    [Fact]
    public async Task Reload_NewGeoDatabase_OldOneClosedAfterGrace()
    {
        var time = new FakeTimeProvider();
        await using var server = new GslbDnsServer(Topology(CityDb()), new TestHealthView("default"), NullLoggerFactory.Instance) { Time = time };

        server.Reload(Topology(CountryDb()), new TestHealthView("default"));

        Assert.Equal(1, server.RetiredGeoOpen);
        Assert.Equal(["10.1.0.1"], server.Explain(Fqdn("geo"), "A", IPNetwork.Parse("81.2.69.0/24")).Answers.Select(a => a.Value));
        time.Advance(GslbDnsServer.RetiredGeoGrace - TimeSpan.FromSeconds(1));
        Assert.Equal(1, server.RetiredGeoOpen);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, server.RetiredGeoOpen);
        Assert.Equal(["10.1.0.1"], server.Explain(Fqdn("geo"), "A", IPNetwork.Parse("81.2.69.0/24")).Answers.Select(a => a.Value));
    }

    [Fact]
    public async Task Reload_SameGeoSettings_NothingRetired()
    {
        var topology = Topology(CityDb());
        await using var server = new GslbDnsServer(topology, new TestHealthView("default"), NullLoggerFactory.Instance) { Time = new FakeTimeProvider() };

        server.Reload(topology with { }, new TestHealthView("default"));

        Assert.Equal(0, server.RetiredGeoOpen);
    }

    [Fact]
    public async Task DisposeAsync_RetiredDatabasePending_ClosedAtOnce()
    {
        var server = new GslbDnsServer(Topology(CityDb()), new TestHealthView("default"), NullLoggerFactory.Instance) { Time = new FakeTimeProvider() };
        server.Reload(Topology(CountryDb()), new TestHealthView("default"));
        server.Reload(Topology(CityDb()), new TestHealthView("default"));
        Assert.Equal(2, server.RetiredGeoOpen);

        await server.DisposeAsync();

        Assert.Equal(0, server.RetiredGeoOpen);
    }
}
