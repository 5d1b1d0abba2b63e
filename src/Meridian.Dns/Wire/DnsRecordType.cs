namespace Meridian.Dns.Wire;

/// <summary>
/// Wire TYPE values the codec needs beyond the zone's <c>RecordType</c> (OPT, PTR, ANY); kept as constants so the
/// hot path compares <see cref="ushort"/>s without enum casts.
/// </summary>
public static class DnsRecordType
{
    public const ushort A = 1;
    public const ushort NS = 2;
    public const ushort CNAME = 5;
    public const ushort SOA = 6;
    public const ushort PTR = 12;
    public const ushort MX = 15;
    public const ushort TXT = 16;
    public const ushort AAAA = 28;
    public const ushort SRV = 33;
    public const ushort OPT = 41;
    public const ushort ANY = 255;
    public const ushort CAA = 257;

    public const ushort ClassIN = 1;

    /// <summary>EDNS option code of EDNS Client Subnet (RFC 7871).</summary>
    public const ushort EdnsOptionClientSubnet = 8;
}
