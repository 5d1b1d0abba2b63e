using System.Buffers.Binary;
using System.Text;

namespace Meridian.Cli.Tests.Fuzz;

/// <summary>Builds well-formed DNS query packets by hand (the seeds the fuzzer mutates, and the probes).</summary>
internal static class WireQuery
{
    public const ushort TypeA = 1;
    public const ushort TypeTxt = 16;
    public const ushort TypeOpt = 41;

    public static byte[] Build(ushort id, string name, ushort type = TypeA, bool edns = false, byte[]? ecsV4Prefix24 = null)
    {
        var packet = new List<byte>(64);
        Append16(packet, id);
        Append16(packet, 0x0100); // RD: as resolvers send
        Append16(packet, 1);
        Append16(packet, 0);
        Append16(packet, 0);
        Append16(packet, (ushort)(edns || ecsV4Prefix24 is not null ? 1 : 0));
        packet.AddRange(EncodeName(name));
        Append16(packet, type);
        Append16(packet, 1); // IN
        if (edns || ecsV4Prefix24 is not null)
        {
            packet.Add(0); // root
            Append16(packet, TypeOpt);
            Append16(packet, 1232); // UDP payload size
            Append16(packet, 0);
            Append16(packet, 0); // extended rcode, version, flags
            if (ecsV4Prefix24 is null)
            {
                Append16(packet, 0);
            }
            else
            {
                Append16(packet, (ushort)(4 + 4 + 3));
                Append16(packet, 8); // ECS
                Append16(packet, 4 + 3);
                Append16(packet, 1); // IPv4
                packet.Add(24);
                packet.Add(0);
                packet.AddRange(ecsV4Prefix24[..3]);
            }
        }

        return [.. packet];
    }

    public static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var encoded = Encoding.ASCII.GetBytes(label);
            bytes.Add((byte)encoded.Length);
            bytes.AddRange(encoded);
        }

        bytes.Add(0);
        return [.. bytes];
    }

    public static ushort Id(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt16BigEndian(packet);

    private static void Append16(List<byte> packet, ushort value)
    {
        packet.Add((byte)(value >> 8));
        packet.Add((byte)value);
    }
}
