namespace Meridian.Dns.Clients;

/// <summary>Where a client is, as far as we know. Strings come from the topology or the GeoIP database.</summary>
public readonly record struct GeoLocation(string? Continent, string? Country, string? Subdivision)
{
    public static readonly GeoLocation Unknown = default;

    public override string ToString() =>
        Continent is null && Country is null ? "unknown" : string.Join('/', new[] { Continent, Country, Subdivision }.Where(s => s is not null));
}
