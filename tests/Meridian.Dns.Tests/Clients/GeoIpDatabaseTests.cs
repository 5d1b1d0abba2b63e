using System.Net;
using MaxMind.GeoIP2;
using Meridian.Dns.Tests.Support;

namespace Meridian.Dns.Tests.Clients;

public sealed class GeoIpDatabaseTests : IDisposable
{
    private readonly List<string> _files = [];

    public void Dispose()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    private string Write(MmdbWriter writer)
    {
        var path = Path.Combine(Path.GetTempPath(), $"meridian-geoip-{Guid.NewGuid():N}.mmdb");
        _files.Add(path);
        writer.WriteTo(path);
        return path;
    }

    private static MmdbWriter CityDb(int recordSize = 28) => new MmdbWriter("GeoLite2-City", recordSize)
        .Add("81.2.69.0/24", GeoIpRecords.City("EU", "GB"))
        .Add("2.125.0.0/16", GeoIpRecords.City("EU", "GB", "SCT", "Edinburgh"))
        .Add("5.0.0.0/8", GeoIpRecords.City("EU", "DE"))
        .Add("24.0.0.0/8", GeoIpRecords.City("NA", "US"))
        .Add("2a02:c7f::/32", GeoIpRecords.City("EU", "GB"));

    private static MmdbWriter CountryDb(int recordSize = 24) => new MmdbWriter("GeoLite2-Country", recordSize)
        .Add("81.2.69.0/24", GeoIpRecords.Country("EU", "GB"))
        .Add("5.0.0.0/8", GeoIpRecords.Country("EU", "DE"))
        .Add("24.0.0.0/8", GeoIpRecords.Country("NA", "US"))
        .Add("2a02:c7f::/32", GeoIpRecords.Country("EU", "GB"));

    [Fact]
    public void Probe()
    {
        using var reader = new DatabaseReader(Write(CityDb()));
        var city = reader.City("5.1.2.3");
        Console.WriteLine($"{city.Country.IsoCode} {city.Traits.Network}");
        Console.WriteLine(reader.TryCity(IPAddress.Parse("200.1.2.3"), out var c) + " " + c?.Country.IsoCode);
        try { Console.WriteLine(reader.TryCountry(IPAddress.Parse("200.1.2.3"), out var c2)); } catch (Exception ex) { Console.WriteLine(ex); }
        using var creader = new DatabaseReader(Write(CountryDb()));
        try { Console.WriteLine(creader.TryCity(IPAddress.Parse("5.1.2.3"), out var c3)); } catch (Exception ex) { Console.WriteLine(ex.GetType() + ex.Message); }
        Console.WriteLine(reader.City("::ffff:5.1.2.3").Traits.Network);
        Console.WriteLine(reader.City("2a02:c7f:1::1").Traits.Network);
    }
}
