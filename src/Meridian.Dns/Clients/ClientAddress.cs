using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Meridian.Dns.Clients;

/// <summary>
/// A client address as a 128-bit value (IPv4 is IPv4-mapped, ::ffff:a.b.c.d) so one prefix comparison serves both
/// families without allocating an <see cref="IPAddress"/> per query.
/// </summary>
public readonly record struct ClientAddress(UInt128 Bits, bool IsV4)
{
    internal static readonly UInt128 V4MappedPrefix = (UInt128)0xFFFF << 32;

    public static ClientAddress FromIPv4(ReadOnlySpan<byte> fourBytes) =>
        new(V4MappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(fourBytes), true);

    public static ClientAddress FromIPv6(ReadOnlySpan<byte> sixteenBytes)
    {
        var bits = BinaryPrimitives.ReadUInt128BigEndian(sixteenBytes);
        return new(bits, (bits >> 32) == 0xFFFF);
    }

    public static ClientAddress FromIPAddress(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return FromIPv4(bytes[..4]);
        }

        address.TryWriteBytes(bytes, out _);
        return FromIPv6(bytes);
    }

    /// <summary>Reads the address straight out of a socket address buffer (no allocation).</summary>
    public static ClientAddress FromSocketAddress(SocketAddress address)
    {
        var buffer = address.Buffer.Span;
        return address.Family == AddressFamily.InterNetwork
            ? FromIPv4(buffer.Slice(4, 4))
            : FromIPv6(buffer.Slice(8, 16));
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Bits);
        return IsV4 ? new IPAddress(bytes[12..]) : new IPAddress(bytes);
    }

    public override string ToString() => ToIPAddress().ToString();
}
