using Meridian.Topology.Model;

namespace Meridian.Dns.Clients;

/// <summary>Route53 CIDR collections: client address → location name within a collection (longest prefix).</summary>
public sealed class CidrCollectionIndex
{
    private readonly Dictionary<string, PrefixTable<string>> _collections = new(StringComparer.Ordinal);

    public CidrCollectionIndex(IEnumerable<CidrCollectionConfig> collections)
    {
        foreach (var collection in collections)
        {
            _collections[collection.Name] = new PrefixTable<string>(
                collection.Locations.SelectMany(l => l.Blocks.Select(b => (NetworkPrefix.FromIPNetwork(b), l.Name))));
        }
    }

    /// <summary>The client's location in the collection, or null when no block contains it.</summary>
    public string? Locate(string collection, ref ClientInfo client)
    {
        if (!_collections.TryGetValue(collection, out var table))
        {
            return null;
        }

        if (table.TryMatch(client.Address.Bits, out var location, out _, out var scope))
        {
            client.DependOn(scope);
            return location;
        }

        // Not in any block: the default location answers, for every address outside all blocks.
        client.DependOn(scope);
        return null;
    }
}
