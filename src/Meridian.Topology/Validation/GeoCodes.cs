using System.Text.RegularExpressions;

namespace Meridian.Topology.Validation;

/// <summary>Continent, country and subdivision code syntax (Route53 geolocation vocabulary).</summary>
internal static partial class GeoCodes
{
    public static readonly IReadOnlyCollection<string> Continents = ["AF", "AN", "AS", "EU", "NA", "OC", "SA"];

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryPattern();

    [GeneratedRegex("^[A-Z0-9]{1,3}$")]
    private static partial Regex SubdivisionPattern();

    public static string? ContinentError(string code) =>
        Continents.Contains(code) ? null : $"unknown continent '{code}'; expected one of {string.Join(", ", Continents)}";

    public static string? CountryError(string code) =>
        CountryPattern().IsMatch(code) ? null : $"country must be a 2-letter ISO 3166 code like US, found '{code}'";

    public static string? SubdivisionError(string code) =>
        SubdivisionPattern().IsMatch(code) ? null : $"subdivision must be an ISO 3166-2 code of 1 to 3 letters or digits like CA, found '{code}'";
}
