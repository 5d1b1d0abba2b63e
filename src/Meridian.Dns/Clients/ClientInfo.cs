namespace Meridian.Dns.Clients;

/// <summary>
/// Who is asking: the ECS subnet when the query carried one (RFC 7871), else the packet's source address.
/// <see cref="ScopeBits"/> accumulates how many address bits the answer depended on (128-bit space).
/// </summary>
public struct ClientInfo
{
    public ClientInfo(ClientAddress address, int sourcePrefixBits, bool fromEcs)
    {
        Address = address;
        SourcePrefixBits = sourcePrefixBits;
        FromEcs = fromEcs;
        ScopeBits = address.IsV4 ? 96 : 0;
    }

    public ClientAddress Address { get; }

    /// <summary>Bits of the address that are known (ECS source prefix, 128-bit space); 128 for a source address.</summary>
    public int SourcePrefixBits { get; }

    public bool FromEcs { get; }

    public int ScopeBits { get; private set; }

    /// <summary>Notes that the answer depended on this many leading bits of the client address.</summary>
    public void DependOn(int bits)
    {
        if (bits > ScopeBits)
        {
            ScopeBits = Math.Min(bits, SourcePrefixBits);
        }
    }

    /// <summary>The ECS scope prefix to return, in the family's own bit count.</summary>
    public readonly int EcsScope => Address.IsV4 ? Math.Max(0, ScopeBits - 96) : ScopeBits;
}
