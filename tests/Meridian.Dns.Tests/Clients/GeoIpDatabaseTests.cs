using System.Net;
using MaxMind.Db;
using MaxMind.GeoIP2;
using Meridian.Dns.Clients;
using Meridian.Dns.Tests.Support;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;
using static Meridian.Dns.Tests.Support.TempMmdbFiles;
using static Meridian.Dns.Tests.Support.TestTopology;

namespace Meridian.Dns.Tests.Clients;

/// <summary>
/// The MaxMind path of <see cref="GeoLocator"/> against databases written by <see cref="MmdbWriter"/>; the first
/// tests check the writer itself against MaxMind's reader.
/// </summary>
public sealed class GeoIpDatabaseTests : IDisposable
{
    private readonly TempMmdbFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(24)]
    [InlineData(28)]
    [InlineData(32)]
    public void DatabaseReader_CityDatabase_ReturnsWrittenLocations(int recordSize)
    {
        using var reader = new DatabaseReader(_files.Write(CityDb(recordSize: recordSize)));

        var london = reader.City("81.2.69.160");
        Assert.Equal(("EU", "Europe", "GB", "United Kingdom"), (london.Continent.Code, london.Continent.Name, london.Country.IsoCode, london.Country.Name));
        Assert.Equal(2635167, london.Country.GeoNameId);
        Assert.Equal("81.2.69.0/24", london.Traits.Network?.ToString());

        var edinburgh = reader.City("2.125.160.216");
        Assert.Equal(("GB", "SCT", "Edinburgh"), (edinburgh.Country.IsoCode, edinburgh.MostSpecificSubdivision.IsoCode, edinburgh.City.Name));

        var germany = reader.City("5.1.2.3");
        Assert.Equal(("EU", "DE"), (germany.Continent.Code, germany.Country.IsoCode));
        Assert.Equal("5.0.0.0/8", germany.Traits.Network?.ToString());
        Assert.Equal("US", reader.City("24.24.24.24").Country.IsoCode);

        var v6 = reader.City("2a02:c7f:1234::1");
        Assert.Equal("GB", v6.Country.IsoCode);
        Assert.Equal("2a02:c7f::/32", v6.Traits.Network?.ToString());
        Assert.Equal("GB", reader.City("::ffff:81.2.69.1").Country.IsoCode);
        Assert.False(reader.TryCity(IPAddress.Parse("200.1.2.3"), out _));

        var metadata = reader.Metadata;
        Assert.Equal(("GeoLite2-City", 6, 2, 0), (metadata.DatabaseType, metadata.IPVersion, metadata.BinaryFormatMajorVersion, metadata.BinaryFormatMinorVersion));
        Assert.Equal(["en"], metadata.Languages);
        Assert.Contains("GeoLite2-City", metadata.Description["en"]);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), metadata.BuildDate);
    }

    [Fact]
    public void DatabaseReader_CountryDatabase_ReturnsWrittenCountries()
    {
        using var reader = new DatabaseReader(_files.Write(CountryDb()));
        Assert.Equal(("EU", "GB"), (reader.Country("81.2.69.1").Continent.Code, reader.Country("81.2.69.1").Country.IsoCode));
        Assert.Equal("DE", reader.Country("5.255.255.255").Country.IsoCode);
        Assert.Equal("GB", reader.Country("2a02:c7f::").Country.IsoCode);
        Assert.False(reader.TryCountry(IPAddress.Parse("4.255.255.255"), out _));
        Assert.False(reader.TryCountry(IPAddress.Parse("2001:db8::1"), out _));
    }

    [Fact]
    public void DatabaseReader_NestedNetworksAddedWidestLast_MostSpecificWins()
    {
        var writer = new MmdbWriter("GeoLite2-Country")
            .Add("81.2.69.0/24", GeoIpRecords.Country("EU", "GB"))
            .Add("81.0.0.0/8", GeoIpRecords.Country("EU", "DE"));
        using var reader = new DatabaseReader(_files.Write(writer));
        Assert.Equal("GB", reader.Country("81.2.69.77").Country.IsoCode);
        var outside = reader.Country("81.2.68.1");
        Assert.Equal("DE", outside.Country.IsoCode);
        Assert.Equal("81.2.68.0/24", outside.Traits.Network?.ToString());
        Assert.Equal("81.128.0.0/9", reader.Country("81.200.0.1").Traits.Network?.ToString());
    }

    [Fact]
    public void DatabaseReader_Ipv4OnlyDatabase_ReturnsWrittenCountries()
    {
        var writer = new MmdbWriter("GeoLite2-Country", 24, ipVersion: 4).Add("5.0.0.0/8", GeoIpRecords.Country("EU", "DE"));
        using var reader = new DatabaseReader(_files.Write(writer));
        Assert.Equal(4, reader.Metadata.IPVersion);
        Assert.Equal("DE", reader.Country("5.6.7.8").Country.IsoCode);
        Assert.Equal("5.0.0.0/8", reader.Country("5.6.7.8").Traits.Network?.ToString());
    }

    private static ClientInfo Client(string cidr)
    {
        var network = IPNetwork.Parse(cidr);
        var address = ClientAddress.FromIPAddress(network.BaseAddress);
        return new ClientInfo(address, network.PrefixLength + (address.IsV4 ? 96 : 0), fromEcs: true);
    }

    private GeoLocator Locator(MmdbWriter database, params GeoEntry[] networks) => new(new GeoConfig(networks, _files.Write(database)));

    private static (GeoLocation Location, int Scope) Locate(GeoLocator locator, string cidr)
    {
        var client = Client(cidr);
        var location = locator.Locate(ref client);
        return (location, client.EcsScope);
    }

    [Theory]
    [InlineData("5.1.2.0/24", "EU", "DE", 8)]
    [InlineData("81.2.69.0/24", "EU", "GB", 24)]
    [InlineData("81.2.69.128/25", "EU", "GB", 24)]
    [InlineData("24.1.0.0/16", "NA", "US", 8)]
    [InlineData("2a02:c7f:1::/48", "EU", "GB", 32)]
    [InlineData("::ffff:5.1.2.0/120", "EU", "DE", 8)]
    public void Locate_CountryDatabase_LocatesWithScopeOfDatabaseNetwork(string client, string continent, string country, int scope)
    {
        using var locator = Locator(CountryDb());
        Assert.Equal((new GeoLocation(continent, country, null), scope), Locate(locator, client));
    }

    [Theory]
    [InlineData("GeoLite2-City")]
    [InlineData("GeoIP2-City")]
    [InlineData("GeoIP2-Enterprise")]
    public void Locate_CityDatabase_LocatesWithSubdivision(string databaseType)
    {
        using var locator = Locator(CityDb(databaseType));
        Assert.Equal((new GeoLocation("EU", "GB", "SCT"), 16), Locate(locator, "2.125.160.0/24"));
        Assert.Equal((new GeoLocation("EU", "GB", null), 24), Locate(locator, "81.2.69.0/24"));
        Assert.Equal((new GeoLocation("EU", "GB", null), 32), Locate(locator, "2a02:c7f:99::/48"));
    }

    [Theory]
    [InlineData(true, "200.1.2.0/24", 24)]
    [InlineData(false, "200.1.2.0/24", 24)]
    [InlineData(true, "2001:db8:1::/48", 48)]
    [InlineData(false, "2001:db8:1::/48", 48)]
    public void Locate_ClientNotInDatabase_UnknownScopedToClientPrefix(bool city, string client, int scope)
    {
        // Before the fix a City database threw here: TryCity missed and the TryCountry fallback is refused by the reader.
        using var locator = Locator(city ? CityDb() : CountryDb());
        Assert.Equal((GeoLocation.Unknown, scope), Locate(locator, client));
    }

    [Fact]
    public void Locate_TopologyEntry_TakesPrecedenceOverDatabase()
    {
        using var locator = Locator(CityDb(), new GeoEntry(IPNetwork.Parse("5.6.0.0/16"), "NA", "US", null, SourceLocation.None));
        Assert.Equal((new GeoLocation("NA", "US", null), 16), Locate(locator, "5.6.7.0/24"));

        // The database answers 5.0.0.0/8, but the scope must not cover 5.6.0.0/16: 5.1 and 5.6 share 13 bits.
        Assert.Equal((new GeoLocation("EU", "DE", null), 14), Locate(locator, "5.1.2.0/24"));
    }

    [Fact]
    public void Locate_TableMissWithoutDatabase_ScopeExcludesTableNetworks()
    {
        // Unknown answers the default record; its scope must not let a resolver reuse it for 81.2.69.0/24.
        using var locator = new GeoLocator(new GeoConfig([new GeoEntry(IPNetwork.Parse("81.2.69.0/24"), "EU", "GB", null, SourceLocation.None)], null));
        Assert.Equal((GeoLocation.Unknown, 24), Locate(locator, "81.2.68.0/24"));
        Assert.Equal((GeoLocation.Unknown, 1), Locate(locator, "200.1.2.0/24"));
    }

    [Theory]
    [InlineData(0x3F)] // pointer past the end of the file: InvalidDatabaseException
    [InlineData(0x00)] // unknown extended type: InvalidDatabaseException
    [InlineData(0x5F)] // a string where the record map should be: DeserializationException
    public void Locate_DamagedRecord_UnknownInsteadOfFailingTheQuery(byte controlByte)
    {
        // The IPv6 record is the first in the data section (breadth-first tree): overwrite its map control byte.
        var bytes = CountryDb().ToArray();
        bytes[bytes.AsSpan().IndexOf("continent"u8) - 2] = controlByte;
        using var locator = new GeoLocator(new GeoConfig([], _files.Write(bytes)));
        Assert.Equal((GeoLocation.Unknown, 48), Locate(locator, "2a02:c7f:1::/48"));
        Assert.Equal((new GeoLocation("EU", "DE", null), 8), Locate(locator, "5.1.2.0/24"));
    }

    [Fact]
    public void Locate_Ipv6ClientWithIpv4OnlyDatabase_Unknown()
    {
        var writer = new MmdbWriter("GeoLite2-Country", 24, ipVersion: 4).Add("5.0.0.0/8", GeoIpRecords.Country("EU", "DE"));
        using var locator = Locator(writer);
        Assert.Equal(GeoLocation.Unknown, Locate(locator, "2a02:c7f:1::/48").Location);
        Assert.Equal((new GeoLocation("EU", "DE", null), 8), Locate(locator, "5.1.2.0/24"));
    }

    [Fact]
    public void Constructor_CorruptDatabase_ThrowsNamingSettingAndPath()
    {
        var path = _files.Write(System.Text.Encoding.ASCII.GetBytes("this is not a MaxMind database"));
        var error = Assert.Throws<GeoDatabaseException>(() => new GeoLocator(new GeoConfig([], path)));
        Assert.Contains("geo.maxmind_db", error.Message);
        Assert.Contains(path, error.Message);
        Assert.IsType<InvalidDatabaseException>(error.InnerException);
    }

    [Fact]
    public void Constructor_TruncatedDatabase_ThrowsNamingSettingAndPath()
    {
        var bytes = CityDb().ToArray();
        var path = _files.Write(bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<GeoDatabaseException>(() => new GeoLocator(new GeoConfig([], path)));
        Assert.Contains($"geo.maxmind_db: cannot open MaxMind database '{path}'", error.Message);
    }

    [Fact]
    public void Constructor_MissingDatabase_ThrowsNamingSettingAndPath()
    {
        var path = _files.NewPath();
        var error = Assert.Throws<GeoDatabaseException>(() => new GeoLocator(new GeoConfig([], path)));
        Assert.Contains($"geo.maxmind_db: cannot open MaxMind database '{path}'", error.Message);
    }

    [Fact]
    public void Constructor_NonLocationDatabase_ThrowsNamingType()
    {
        var path = _files.Write(new MmdbWriter("GeoLite2-ASN").Add("5.0.0.0/8", new Dictionary<string, object> { ["autonomous_system_number"] = 3320u }));
        var error = Assert.Throws<GeoDatabaseException>(() => new GeoLocator(new GeoConfig([], path)));
        Assert.Contains("geo.maxmind_db", error.Message);
        Assert.Contains("GeoLite2-ASN", error.Message);
    }

    [Fact]
    public void GslbDnsServer_CorruptDatabase_ThrowsNamingSetting()
    {
        var path = _files.Write(new byte[64]);
        var topology = Create([]) with { Geo = new GeoConfig([], path) };
        var error = Assert.Throws<GeoDatabaseException>(() => new GslbDnsServer(topology, new TestHealthView(), NullLoggerFactory.Instance));
        Assert.Contains("geo.maxmind_db", error.Message);
        Assert.Contains(path, error.Message);
    }

    private static RecordConfig[] GeoRecords() =>
    [
        A("geo", null, "10.1.0.1").With("gb", new RoutingPolicy.Geolocation(null, "GB", null)),
        A("geo", null, "10.1.0.2").With("sct", new RoutingPolicy.Geolocation(null, "GB", "SCT")),
        A("geo", null, "10.1.0.3").With("eu", new RoutingPolicy.Geolocation("EU", null, null)),
        A("geo", "default", "10.1.0.4").With("default", new RoutingPolicy.Geolocation(null, null, null)),
    ];

    private GslbDnsServer Server(MmdbWriter database, params GeoEntry[] networks)
    {
        var topology = Create(GeoRecords()) with { Geo = new GeoConfig(networks, _files.Write(database)) };
        return new GslbDnsServer(topology, new TestHealthView("default"), NullLoggerFactory.Instance);
    }

    [Theory]
    [InlineData("81.2.69.0/24", "10.1.0.1", 24)]
    [InlineData("2.125.160.0/24", "10.1.0.2", 16)]
    [InlineData("5.6.7.0/24", "10.1.0.3", 8)]
    [InlineData("24.1.2.0/24", "10.1.0.4", 8)]
    [InlineData("2a02:c7f:1::/48", "10.1.0.1", 32)]
    [InlineData("200.1.2.0/24", "10.1.0.4", 24)]
    [InlineData("2001:db8:1::/48", "10.1.0.4", 48)]
    public async Task Explain_GeolocationWithCityDatabase_AnswersPerDatabaseLocation(string client, string expected, int scope)
    {
        await using var server = Server(CityDb());
        var result = server.Explain(Fqdn("geo"), "A", IPNetwork.Parse(client));
        Assert.Equal("NOERROR", result.Rcode);
        Assert.Equal([expected], result.Answers.Select(a => a.Value));
        Assert.Equal(scope, result.EcsScope);
    }

    [Theory]
    [InlineData("81.2.69.0/24", "10.1.0.1")]
    [InlineData("2.125.160.0/24", "10.1.0.4")]
    [InlineData("5.6.7.0/24", "10.1.0.3")]
    [InlineData("24.1.2.0/24", "10.1.0.4")]
    public async Task Explain_GeolocationWithCountryDatabase_AnswersPerDatabaseLocation(string client, string expected)
    {
        await using var server = Server(CountryDb());
        Assert.Equal([expected], server.Explain(Fqdn("geo"), "A", IPNetwork.Parse(client)).Answers.Select(a => a.Value));
    }

    [Fact]
    public async Task Explain_TopologyEntryAndDatabase_TopologyEntryWins()
    {
        await using var server = Server(CityDb(), new GeoEntry(IPNetwork.Parse("5.6.0.0/16"), "EU", "GB", "SCT", SourceLocation.None));
        var inTable = server.Explain(Fqdn("geo"), "A", IPNetwork.Parse("5.6.7.0/24"));
        Assert.Equal(["10.1.0.2"], inTable.Answers.Select(a => a.Value));
        Assert.Equal(16, inTable.EcsScope);
        var inDatabase = server.Explain(Fqdn("geo"), "A", IPNetwork.Parse("5.1.2.0/24"));
        Assert.Equal(["10.1.0.3"], inDatabase.Answers.Select(a => a.Value));
        Assert.Equal(14, inDatabase.EcsScope);
    }
}
