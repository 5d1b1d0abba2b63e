namespace Meridian.Dns.Tests.Support;

/// <summary>
/// Data records shaped like GeoIP2/GeoLite2 Country and City records (continent, country, registered_country,
/// subdivisions, city), for <see cref="MmdbWriter"/>. Names and geoname ids come from a small table of the codes
/// the tests use.
/// </summary>
internal static class GeoIpRecords
{
    private static readonly Dictionary<string, (uint Id, string Name)> Known = new()
    {
        ["EU"] = (6255148, "Europe"),
        ["NA"] = (6255149, "North America"),
        ["GB"] = (2635167, "United Kingdom"),
        ["DE"] = (2921044, "Germany"),
        ["US"] = (6252001, "United States"),
        ["SCT"] = (2638360, "Scotland"),
        ["Edinburgh"] = (2650225, "Edinburgh"),
    };

    /// <summary>A GeoLite2-Country record.</summary>
    public static Dictionary<string, object> Country(string continent, string country) => new()
    {
        ["continent"] = Place(continent, "code"),
        ["country"] = Place(country, "iso_code"),
        ["registered_country"] = Place(country, "iso_code"),
    };

    /// <summary>A GeoLite2-City record: the country record plus subdivisions and city when given.</summary>
    public static Dictionary<string, object> City(string continent, string country, string? subdivision = null, string? city = null)
    {
        var record = Country(continent, country);
        if (subdivision is not null)
        {
            record["subdivisions"] = new object[] { Place(subdivision, "iso_code") };
        }

        if (city is not null)
        {
            var (id, name) = Lookup(city);
            record["city"] = new Dictionary<string, object> { ["geoname_id"] = id, ["names"] = Names(name) };
        }

        return record;
    }

    private static Dictionary<string, object> Place(string code, string codeKey)
    {
        var (id, name) = Lookup(code);
        return new Dictionary<string, object> { [codeKey] = code, ["geoname_id"] = id, ["names"] = Names(name) };
    }

    private static Dictionary<string, object> Names(string english) => new() { ["en"] = english, ["de"] = english };

    private static (uint Id, string Name) Lookup(string code) =>
        Known.TryGetValue(code, out var known) ? known : ((uint)(code.GetHashCode() & 0x7FFFFFFF), code);
}
