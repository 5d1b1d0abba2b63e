namespace Meridian.Dns.Clients;

/// <summary>
/// Longest-prefix match over a small list of networks, also computing the ECS scope (RFC 7871): the number of
/// leading address bits for which the same entry would have been chosen. Entries are kept most specific first,
/// so a lookup is a linear scan that stops at the first match; topology files hold tens to hundreds of networks.
/// </summary>
internal sealed class PrefixTable<T>
{
    private readonly NetworkPrefix[] _networks;
    private readonly T[] _values;

    public PrefixTable(IEnumerable<(NetworkPrefix Network, T Value)> entries)
    {
        var sorted = entries.OrderByDescending(e => e.Network.Length).ToArray();
        _networks = sorted.Select(e => e.Network).ToArray();
        _values = sorted.Select(e => e.Value).ToArray();
    }

    public int Count => _networks.Length;

    /// <summary>Finds the most specific network containing the address; scope is in the 128-bit space.</summary>
    public bool TryMatch(UInt128 address, out T value, out NetworkPrefix network, out int scope)
    {
        for (var i = 0; i < _networks.Length; i++)
        {
            if (!_networks[i].Contains(address))
            {
                continue;
            }

            // The answer holds for every address that shares enough bits to stay inside this network and
            // outside each more specific network nested in it.
            scope = _networks[i].Length;
            for (var j = 0; j < i; j++)
            {
                var inner = _networks[j];
                if (_networks[i].Contains(inner.Bits) && inner.Length > _networks[i].Length)
                {
                    scope = Math.Max(scope, Math.Min(inner.Length, NetworkPrefix.CommonPrefixLength(address, inner.Bits) + 1));
                }
            }

            value = _values[i];
            network = _networks[i];
            return true;
        }

        // No match: the answer holds for addresses that stay outside every network.
        scope = 0;
        foreach (var outer in _networks)
        {
            scope = Math.Max(scope, Math.Min(outer.Length, NetworkPrefix.CommonPrefixLength(address, outer.Bits) + 1));
        }

        value = default!;
        network = default;
        return false;
    }
}
