using System.Runtime.CompilerServices;

namespace Meridian.Dns.Wire;

/// <summary>Inline storage for an IPv4/IPv6 address (16 bytes), used by the ECS option.</summary>
[InlineArray(16)]
public struct DnsAddressBuffer
{
    private byte _element0;
}
