using System.Buffers.Binary;
using System.Net;
using Meridian.Dns.Answering;
using Meridian.Dns.Wire;

namespace Meridian.Benchmarks;

/// <summary>Query packets as dnsperf sends them (no EDNS) and as a resolver with ECS sends them.</summary>
internal static class BenchQueries
{
    public const ushort TypeA = 1;

    /// <summary>A plain query: header (RD set), question, no additional records — what dnsperf sends by default.</summary>
    public static byte[] Plain(string name, ushort type = TypeA)
    {
        var wireName = DnsName.ToWire(name);
        var packet = new byte[DnsHeader.Size + wireName.Length + 4];
        DnsHeader.Write(packet, 0x1234, DnsHeader.FlagRD, 1, 0, 0, 0);
        wireName.CopyTo(packet, DnsHeader.Size);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(DnsHeader.Size + wireName.Length), type);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(DnsHeader.Size + wireName.Length + 2), 1);
        return packet;
    }

    /// <summary>EDNS query with an ECS option (RFC 7871) for <paramref name="subnet"/>.</summary>
    public static byte[] WithSubnet(string name, string subnet, ushort type = TypeA) =>
        QueryBuilder.Build(name, type, IPNetwork.Parse(subnet));
}
