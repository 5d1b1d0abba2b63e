using System.Runtime.CompilerServices;

namespace Meridian.Dns.Wire;

/// <summary>Inline storage for one wire-format name (max 255 bytes), so a <see cref="DnsQuery"/> owns no heap memory.</summary>
[InlineArray(256)]
public struct DnsNameBuffer
{
    private byte _element0;
}
