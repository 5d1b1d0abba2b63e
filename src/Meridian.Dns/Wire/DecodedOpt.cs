namespace Meridian.Dns.Wire;

/// <summary>The OPT pseudo-record of a decoded message (RFC 6891).</summary>
public sealed record DecodedOpt(ushort UdpPayloadSize, byte ExtendedRcode, byte Version, bool DnssecOk, IReadOnlyList<DecodedOption> Options)
{
    /// <summary>The client subnet option as (family, source prefix, scope prefix, address bytes), if present.</summary>
    public (ushort Family, byte SourcePrefix, byte ScopePrefix, byte[] Address)? ClientSubnet
    {
        get
        {
            DecodedOption? ecs = Options.FirstOrDefault(o => o.Code == DnsRecordType.EdnsOptionClientSubnet);
            if (ecs is null || ecs.Data.Length < 4)
            {
                return null;
            }
            return ((ushort)((ecs.Data[0] << 8) | ecs.Data[1]), ecs.Data[2], ecs.Data[3], ecs.Data[4..]);
        }
    }
}
