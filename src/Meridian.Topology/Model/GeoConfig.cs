using System.Net;

namespace Meridian.Topology.Model;

/// <summary>Where clients are: explicit CIDR entries first, then an optional MaxMind .mmdb file.</summary>
public sealed record GeoConfig(IReadOnlyList<GeoEntry> Networks, string? MaxMindDatabase)
{
    public static readonly GeoConfig Empty = new([], null);
}

/// <summary>A client network's location: continent code (EU, NA, ...), ISO country, optional subdivision.</summary>
public sealed record GeoEntry(IPNetwork Network, string? Continent, string? Country, string? Subdivision, SourceLocation Location);
