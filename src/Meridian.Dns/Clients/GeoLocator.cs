using System.Net;
using MaxMind.Db;
using MaxMind.GeoIP2;
using MaxMind.GeoIP2.Responses;
using Meridian.Topology.Model;

namespace Meridian.Dns.Clients;

/// <summary>
/// Client network → location: the topology's CIDR entries first (most specific wins), then an optional MaxMind
/// GeoIP2/GeoLite2 database. The MaxMind reader allocates per lookup, so it is only consulted for geolocation
/// record sets, never on the static or latency paths.
/// </summary>
public sealed class GeoLocator : IDisposable
{
    private readonly PrefixTable<GeoLocation> _table;
    private readonly DatabaseReader? _maxMind;
    private readonly MaxMindKind _kind;

    /// <summary>Throws <see cref="GeoDatabaseException"/> naming geo.maxmind_db when the database cannot be used.</summary>
    public GeoLocator(GeoConfig config)
    {
        _table = new PrefixTable<GeoLocation>(config.Networks.Select(e =>
            (NetworkPrefix.FromIPNetwork(e.Network), new GeoLocation(e.Continent, e.Country, e.Subdivision))));
        if (config.MaxMindDatabase is { } path)
        {
            (_maxMind, _kind) = Open(path);
        }
    }

    /// <summary>Which GeoIP2 lookup fits the database; the reader refuses a lookup that does not match its type.</summary>
    private enum MaxMindKind
    {
        Country,
        City,
        Enterprise,
    }

    private static (DatabaseReader Reader, MaxMindKind Kind) Open(string path)
    {
        DatabaseReader reader;
        try
        {
            reader = new DatabaseReader(path);
        }
        catch (Exception ex) when (ex is InvalidDatabaseException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new GeoDatabaseException($"geo.maxmind_db: cannot open MaxMind database '{path}': {ex.Message}", ex);
        }

        var type = reader.Metadata.DatabaseType;
        MaxMindKind? kind = type.Contains("Enterprise", StringComparison.Ordinal) ? MaxMindKind.Enterprise
            : type.Contains("City", StringComparison.Ordinal) ? MaxMindKind.City
            : type.Contains("Country", StringComparison.Ordinal) ? MaxMindKind.Country
            : null;
        if (kind is null)
        {
            reader.Dispose();
            throw new GeoDatabaseException(
                $"geo.maxmind_db: '{path}' is a {type} database; a GeoIP2/GeoLite2 Country, City or Enterprise database is needed");
        }

        return (reader, kind.Value);
    }

    public GeoLocation Locate(ref ClientInfo client)
    {
        // Either way the answer depends on where the client sits relative to the table's networks (on a miss: far
        // enough out to stay outside all of them), so the scope never covers a network that would answer differently.
        var matched = _table.TryMatch(client.Address.Bits, out var location, out _, out var scope);
        client.DependOn(scope);
        if (matched)
        {
            return location;
        }

        if (_maxMind is not null)
        {
            if (TryMaxMind(client.Address, out location, out var network))
            {
                client.DependOn(network);
                return location;
            }

            // The reader does not say how wide the empty network is: the answer holds for the client's own prefix.
            client.DependOn(128);
        }

        return GeoLocation.Unknown;
    }

    private bool TryMaxMind(ClientAddress client, out GeoLocation location, out int networkBits)
    {
        location = GeoLocation.Unknown;
        networkBits = 0;
        if (!client.IsV4 && _maxMind!.Metadata.IPVersion == 4)
        {
            return false;
        }

        var address = client.ToIPAddress();
        try
        {
            AbstractCountryResponse? found = null;
            switch (_kind)
            {
                case MaxMindKind.Country when _maxMind!.TryCountry(address, out var country):
                    found = country;
                    break;
                case MaxMindKind.City when _maxMind!.TryCity(address, out var city):
                    found = city;
                    break;
                case MaxMindKind.Enterprise when _maxMind!.TryEnterprise(address, out var enterprise):
                    found = enterprise;
                    break;
            }

            if (found is null)
            {
                return false;
            }

            var subdivision = found is AbstractCityResponse withCity ? withCity.MostSpecificSubdivision.IsoCode : null;
            location = new GeoLocation(found.Continent.Code, found.Country.IsoCode, subdivision);
            networkBits = ToBits(found.Traits.Network, client);
            return true;
        }
        catch (Exception ex) when (ex is InvalidDatabaseException or DeserializationException)
        {
            // A damaged record: treat the client as unlocated (the default record answers) rather than failing the query.
            return false;
        }
    }

    /// <summary>The matched network's prefix in the 128-bit space (the reader reports IPv4 networks in IPv4 bits).</summary>
    private static int ToBits(Network? network, ClientAddress client)
    {
        if (network is null)
        {
            return 128;
        }

        return client.IsV4 ? network.PrefixLength + 96 : network.PrefixLength;
    }

    public void Dispose() => _maxMind?.Dispose();
}
