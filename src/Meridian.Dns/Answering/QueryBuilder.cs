using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Meridian.Dns.Wire;

namespace Meridian.Dns.Answering;

/// <summary>Builds query packets (with EDNS and an optional client subnet) for explain and tools.</summary>
public static class QueryBuilder
{
    private const ushort OptionClientSubnet = 8;

    public static byte[] Build(string name, ushort type, IPNetwork? clientSubnet, ushort id = 0x4d52)
    {
        var output = new List<byte>(64);
        Span<byte> header = stackalloc byte[DnsHeader.Size];
        DnsHeader.Write(header, id, 0, 1, 0, 0, 1);
        output.AddRange(header);
        output.AddRange(DnsName.ToWire(name));
        AddUInt16(output, type);
        AddUInt16(output, 1);

        // OPT: root name, type 41, class = UDP payload, TTL = ext rcode/version/flags.
        output.Add(0);
        AddUInt16(output, 41);
        AddUInt16(output, 1232);
        AddUInt16(output, 0);
        AddUInt16(output, 0);
        if (clientSubnet is not { } subnet)
        {
            AddUInt16(output, 0);
            return [.. output];
        }

        var v4 = subnet.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
        var addressLength = (subnet.PrefixLength + 7) / 8;
        AddUInt16(output, (ushort)(4 + 4 + addressLength));
        AddUInt16(output, OptionClientSubnet);
        AddUInt16(output, (ushort)(4 + addressLength));
        AddUInt16(output, (ushort)(v4 ? 1 : 2));
        output.Add((byte)subnet.PrefixLength);
        output.Add(0);
        output.AddRange(subnet.BaseAddress.GetAddressBytes().AsSpan(0, addressLength));
        return [.. output];
    }

    private static void AddUInt16(List<byte> output, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        output.AddRange(bytes);
    }
}
