using System.Buffers.Binary;

namespace Meridian.Dns.Wire;

/// <summary>
/// Constants and span helpers for the 12-byte message header (RFC 1035 4.1.1). Flags are handled as the raw
/// 16-bit word (bytes 2-3) so building a response header is a couple of mask operations.
/// </summary>
public static class DnsHeader
{
    public const int Size = 12;

    public const ushort FlagQR = 0x8000;
    public const ushort FlagAA = 0x0400;
    public const ushort FlagTC = 0x0200;
    public const ushort FlagRD = 0x0100;
    public const ushort FlagRA = 0x0080;
    /// <summary>AD and CD (RFC 4035); echoed CD is optional, we never set AD.</summary>
    public const ushort FlagAD = 0x0020;
    public const ushort FlagCD = 0x0010;
    public const ushort OpcodeMask = 0x7800;
    public const int OpcodeShift = 11;
    public const ushort RcodeMask = 0x000F;

    public const int IdOffset = 0;
    public const int FlagsOffset = 2;
    public const int QdCountOffset = 4;
    public const int AnCountOffset = 6;
    public const int NsCountOffset = 8;
    public const int ArCountOffset = 10;

    /// <summary>The OPCODE carried in a flags word.</summary>
    public static DnsOpcode GetOpcode(ushort flags) => (DnsOpcode)((flags & OpcodeMask) >> OpcodeShift);

    /// <summary>The 4-bit header RCODE carried in a flags word.</summary>
    public static int GetRcode(ushort flags) => flags & RcodeMask;

    /// <summary>
    /// Flags for a response to a query with <paramref name="queryFlags"/>: QR set, OPCODE and RD echoed (RFC 1035),
    /// CD echoed (RFC 6840 5.9), AA as requested, the low 4 bits of <paramref name="rcode"/>.
    /// </summary>
    public static ushort ResponseFlags(ushort queryFlags, DnsRcode rcode, bool authoritative)
    {
        int f = FlagQR | (queryFlags & (OpcodeMask | FlagRD | FlagCD)) | ((int)rcode & RcodeMask);
        if (authoritative)
        {
            f |= FlagAA;
        }
        return (ushort)f;
    }

    /// <summary>Splits a (possibly extended) rcode into the header's 4 bits and the OPT record's upper 8 bits.</summary>
    public static (int HeaderRcode, byte ExtendedRcode) SplitRcode(DnsRcode rcode) =>
        ((int)rcode & RcodeMask, (byte)((int)rcode >> 4));

    public static ushort ReadId(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message);

    public static ushort ReadFlags(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message[FlagsOffset..]);

    public static ushort ReadCount(ReadOnlySpan<byte> message, int countOffset) =>
        BinaryPrimitives.ReadUInt16BigEndian(message[countOffset..]);

    /// <summary>Writes a whole header. <paramref name="message"/> must hold at least <see cref="Size"/> bytes.</summary>
    public static void Write(Span<byte> message, ushort id, ushort flags, ushort qd, ushort an, ushort ns, ushort ar)
    {
        BinaryPrimitives.WriteUInt16BigEndian(message, id);
        BinaryPrimitives.WriteUInt16BigEndian(message[FlagsOffset..], flags);
        BinaryPrimitives.WriteUInt16BigEndian(message[QdCountOffset..], qd);
        BinaryPrimitives.WriteUInt16BigEndian(message[AnCountOffset..], an);
        BinaryPrimitives.WriteUInt16BigEndian(message[NsCountOffset..], ns);
        BinaryPrimitives.WriteUInt16BigEndian(message[ArCountOffset..], ar);
    }
}
