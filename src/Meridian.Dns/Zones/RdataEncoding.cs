using Meridian.Dns.Wire;
using Meridian.Topology.Model;

namespace Meridian.Dns.Zones;

/// <summary>Zone-load RDATA encoding. The topology validator already checked every value, so a failure here is a bug.</summary>
internal static class RdataEncoding
{
    public static byte[] Encode(RecordType type, string value)
    {
        var result = RdataEncoder.Encode(type, value);
        return result.Success
            ? result.Data
            : throw new InvalidOperationException($"Record value was not validated: {result.Error}");
    }

    public static byte[] Soa(SoaConfig soa) =>
        Encode(RecordType.SOA, $"{soa.PrimaryNs} {soa.Hostmaster} {soa.Serial} {soa.Refresh} {soa.Retry} {soa.Expire} {soa.Minimum}");
}
