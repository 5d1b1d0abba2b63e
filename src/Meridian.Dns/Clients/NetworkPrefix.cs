using System.Net;
using System.Net.Sockets;

namespace Meridian.Dns.Clients;

/// <summary>A network in the 128-bit address space (IPv4 networks are IPv4-mapped: /24 is stored as /120).</summary>
public readonly record struct NetworkPrefix(UInt128 Bits, int Length)
{
    public static NetworkPrefix FromIPNetwork(IPNetwork network)
    {
        var address = ClientAddress.FromIPAddress(network.BaseAddress);
        var length = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork
            ? network.PrefixLength + 96
            : network.PrefixLength;
        return new NetworkPrefix(address.Bits & Mask(length), length);
    }

    public static UInt128 Mask(int length) => length == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - length);

    public bool Contains(UInt128 address) => (address & Mask(Length)) == Bits;

    /// <summary>Number of leading bits two values share.</summary>
    public static int CommonPrefixLength(UInt128 a, UInt128 b) => (int)UInt128.LeadingZeroCount(a ^ b);
}
