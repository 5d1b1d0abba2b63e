using System.Buffers.Binary;
using Meridian.Dns.Wire;

namespace Meridian.Dns.Tests.Wire;

/// <summary>Builds query packets byte by byte, independent of the code under test (except <see cref="DnsName"/>).</summary>
internal static class TestPackets
{
    public const ushort Id = 0xBEEF;

    /// <summary>A query for <paramref name="name"/> with RD set; optional OPT with options.</summary>
    public static byte[] Query(string name, ushort type = DnsRecordType.A, bool edns = false, ushort udpSize = 1232,
        byte version = 0, bool dnssecOk = false, byte[]? options = null, ushort flags = DnsHeader.FlagRD)
    {
        var bytes = new List<byte>();
        AddUInt16(bytes, Id);
        AddUInt16(bytes, flags);
        AddUInt16(bytes, 1);
        AddUInt16(bytes, 0);
        AddUInt16(bytes, 0);
        AddUInt16(bytes, (ushort)(edns ? 1 : 0));
        bytes.AddRange(DnsName.ToWire(name));
        AddUInt16(bytes, type);
        AddUInt16(bytes, DnsRecordType.ClassIN);
        if (edns)
        {
            bytes.AddRange(Opt(udpSize, version, dnssecOk, options ?? []));
        }
        return [.. bytes];
    }

    /// <summary>An OPT record (root owner).</summary>
    public static byte[] Opt(ushort udpSize, byte version, bool dnssecOk, byte[] options)
    {
        var bytes = new List<byte> { 0 };
        AddUInt16(bytes, DnsRecordType.OPT);
        AddUInt16(bytes, udpSize);
        bytes.Add(0);
        bytes.Add(version);
        AddUInt16(bytes, (ushort)(dnssecOk ? 0x8000 : 0));
        AddUInt16(bytes, (ushort)options.Length);
        bytes.AddRange(options);
        return [.. bytes];
    }

    /// <summary>An ECS option: code 8, family, source, scope, address bytes as given.</summary>
    public static byte[] Ecs(ushort family, byte source, byte scope, params byte[] address)
    {
        var bytes = new List<byte>();
        AddUInt16(bytes, DnsRecordType.EdnsOptionClientSubnet);
        AddUInt16(bytes, (ushort)(4 + address.Length));
        AddUInt16(bytes, family);
        bytes.Add(source);
        bytes.Add(scope);
        bytes.AddRange(address);
        return [.. bytes];
    }

    /// <summary>Returns a copy with the 16-bit count at <paramref name="offset"/> replaced.</summary>
    public static byte[] WithCount(byte[] packet, int offset, ushort value)
    {
        byte[] copy = (byte[])packet.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(offset), value);
        return copy;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static DnsParseStatus Parse(byte[] packet, out DnsQuery query)
    {
        query = default;
        return DnsQueryParser.TryParse(packet, ref query);
    }

    private static void AddUInt16(List<byte> bytes, ushort value)
    {
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)value);
    }
}
