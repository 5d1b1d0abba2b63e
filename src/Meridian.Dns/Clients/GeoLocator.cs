using System.Net;
using MaxMind.GeoIP2;
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

    public GeoLocator(GeoConfig config)
    {
        _table = new PrefixTable<GeoLocation>(config.Networks.Select(e =>
            (NetworkPrefix.FromIPNetwork(e.Network), new GeoLocation(e.Continent, e.Country, e.Subdivision))));
        if (config.MaxMindDatabase is { } path)
        {
            _maxMind = new DatabaseReader(path);
        }
    }

    public GeoLocation Locate(ref ClientInfo client)
    {
        if (_table.TryMatch(client.Address.Bits, out var location, out _, out var scope))
        {
            client.DependOn(scope);
            return location;
        }

        if (_maxMind is not null && TryMaxMind(client.Address.ToIPAddress(), out location, out var network))
        {
            client.DependOn(network);
            return location;
        }

        return GeoLocation.Unknown;
    }

    private bool TryMaxMind(IPAddress address, out GeoLocation location, out int networkBits)
    {
        location = GeoLocation.Unknown;
        networkBits = 0;
        try
        {
            if (!_maxMind!.TryCity(address, out var city) || city is null)
            {
                if (!_maxMind.TryCountry(address, out var country) || country is null)
                {
                    return false;
                }

                location = new GeoLocation(country.Continent.Code, country.Country.IsoCode, null);
                networkBits = ToBits(country.Traits.Network, address);
                return true;
            }

            location = new GeoLocation(city.Continent.Code, city.Country.IsoCode, city.MostSpecificSubdivision.IsoCode);
            networkBits = ToBits(city.Traits.Network, address);
            return true;
        }
        catch (InvalidOperationException)
        {
            // A Country database answers TryCity with InvalidOperationException; fall back to the country lookup.
            if (_maxMind!.TryCountry(address, out var country) && country is not null)
            {
                location = new GeoLocation(country.Continent.Code, country.Country.IsoCode, null);
                networkBits = ToBits(country.Traits.Network, address);
                return true;
            }

            return false;
        }
    }

    private static int ToBits(MaxMind.Db.Network? network, IPAddress address)
    {
        if (network is null)
        {
            return 128;
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? network.PrefixLength + 96 : network.PrefixLength;
    }

    public void Dispose() => _maxMind?.Dispose();
}
