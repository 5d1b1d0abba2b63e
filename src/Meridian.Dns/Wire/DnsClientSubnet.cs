using System.Diagnostics.CodeAnalysis;

namespace Meridian.Dns.Wire;

/// <summary>
/// An EDNS Client Subnet option (RFC 7871), validated: <see cref="Family"/> is 1 (IPv4) or 2 (IPv6), the address
/// holds exactly ceil(SourcePrefix/8) significant bytes (the rest of <see cref="Address"/> is zero) and no bits
/// beyond the prefix are set. A source prefix of 0 means the client asks not to be located by subnet; answer
/// with scope 0 then (RFC 7871 7.1.2).
/// </summary>
public struct DnsClientSubnet
{
    public const ushort FamilyIPv4 = 1;
    public const ushort FamilyIPv6 = 2;

    public ushort Family;
    public byte SourcePrefix;
    public byte ScopePrefix;
    /// <summary>Address bytes, zero-padded to 16 (an IPv4 address uses the first 4).</summary>
    public DnsAddressBuffer Address;

    /// <summary>Number of address bytes carried on the wire: ceil(SourcePrefix / 8).</summary>
    public readonly int AddressLength => (SourcePrefix + 7) >> 3;

    /// <summary>Full-length address bytes (4 or 16) for building an IPAddress or a CIDR lookup key.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> FullAddress => ((ReadOnlySpan<byte>)Address)[..(Family == FamilyIPv4 ? 4 : 16)];
}
