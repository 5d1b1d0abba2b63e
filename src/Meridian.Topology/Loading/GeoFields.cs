using Meridian.Topology.Validation;

namespace Meridian.Topology.Loading;

/// <summary>Reads continent/country/subdivision fields (regions, geo networks, geolocation routing) the same way everywhere.</summary>
internal static class GeoFields
{
    public static (string? Continent, string? Country, string? Subdivision) Read(MapReader map)
    {
        var continent = Check(map, "continent", GeoCodes.ContinentError);
        var country = Check(map, "country", GeoCodes.CountryError);
        var subdivision = map.Get("subdivision") is null ? null : Check(map, "subdivision", GeoCodes.SubdivisionError);
        if (subdivision is not null && country is null && map.Get("country") is null)
        {
            map.Context.Error(map.Get("subdivision")!, map.PathOf("subdivision"), "subdivision requires a country");
        }
        return (continent, country, subdivision);
    }

    private static string? Check(MapReader map, string key, Func<string, string?> validate)
    {
        if (map.String(key) is not { } raw)
        {
            return null;
        }
        // Codes are conventionally upper case; accept "eu" but store "EU".
        var code = raw.ToUpperInvariant();
        if (validate(code) is { } error)
        {
            map.Context.Error(map.Get(key)!, map.PathOf(key), error);
            return null;
        }
        return code;
    }
}
