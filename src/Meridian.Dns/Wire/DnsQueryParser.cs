using System.Buffers.Binary;

namespace Meridian.Dns.Wire;

/// <summary>
/// Parses an incoming query packet into a <see cref="DnsQuery"/> without allocating. Validates what an
/// authoritative server must (RFC 1035, 6891, 7871) and classifies the packet as answer / drop / FORMERR / NOTIMP /
/// BADVERS. Never throws on any input. QTYPE/QCLASS are not judged here: REFUSED for foreign zones or non-IN
/// classes is the zone engine's decision.
/// </summary>
public static class DnsQueryParser
{
    /// <summary>Compression pointers followed in one name before giving up (loop protection).</summary>
    public const int MaxPointerHops = 16;

    // Smallest possible question (root name + QTYPE + QCLASS) and resource record (root name + 10 fixed bytes).
    private const int MinQuestionSize = 5;
    private const int MinRecordSize = 11;

    /// <summary>
    /// Parses <paramref name="packet"/> into <paramref name="query"/> (reset first). Precedence of outcomes:
    /// Drop, then NotImp (opcode), then FormErr, then BadVers, else Ok.
    /// </summary>
    public static DnsParseStatus TryParse(ReadOnlySpan<byte> packet, ref DnsQuery query)
    {
        query.Reset();
        if (packet.Length < DnsHeader.Size)
        {
            return DnsParseStatus.Drop;
        }

        query.Id = DnsHeader.ReadId(packet);
        query.Flags = DnsHeader.ReadFlags(packet);
        if ((query.Flags & DnsHeader.FlagQR) != 0)
        {
            return DnsParseStatus.Drop;
        }
        if (query.Opcode != DnsOpcode.Query)
        {
            return DnsParseStatus.NotImp;
        }

        int qd = DnsHeader.ReadCount(packet, DnsHeader.QdCountOffset);
        int an = DnsHeader.ReadCount(packet, DnsHeader.AnCountOffset);
        int ns = DnsHeader.ReadCount(packet, DnsHeader.NsCountOffset);
        int ar = DnsHeader.ReadCount(packet, DnsHeader.ArCountOffset);
        if (qd != 1 || an != 0 || ns != 0)
        {
            return DnsParseStatus.FormErr;
        }
        // Cheap plausibility check before walking anything: every counted entry needs its minimum size.
        if (DnsHeader.Size + MinQuestionSize + (ar * MinRecordSize) > packet.Length)
        {
            return DnsParseStatus.FormErr;
        }

        int pos = DnsHeader.Size;
        if (!TryReadName(packet, ref pos, ref query))
        {
            return DnsParseStatus.FormErr;
        }
        if (pos + 4 > packet.Length)
        {
            return DnsParseStatus.FormErr;
        }
        query.QType = BinaryPrimitives.ReadUInt16BigEndian(packet[pos..]);
        query.QClass = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 2)..]);
        pos += 4;
        query.QuestionOffset = DnsHeader.Size;
        query.QuestionLength = pos - DnsHeader.Size;

        for (int i = 0; i < ar; i++)
        {
            DnsParseStatus status = ParseAdditional(packet, ref pos, ref query);
            if (status != DnsParseStatus.Ok)
            {
                return status;
            }
        }
        // Trailing bytes after the counted records are ignored (lenient, as most servers are).
        return query.EdnsUnsupportedVersion ? DnsParseStatus.BadVers : DnsParseStatus.Ok;
    }

    /// <summary>Reads the question name, following backward compression pointers, into the lowercased buffer.</summary>
    private static bool TryReadName(ReadOnlySpan<byte> packet, ref int pos, ref DnsQuery query)
    {
        Span<byte> name = query.NameBuffer;
        int cursor = pos;
        int written = 0;
        int hops = 0;
        int end = -1; // where parsing resumes after the name: just past the first pointer, or past the root label
        // After a jump, everything read must lie before that pointer. This makes loops impossible, and guarantees
        // the name only uses bytes of the question itself, which the response copies verbatim: a pointer into
        // bytes after the question would resolve differently in the response.
        int limit = packet.Length;
        while (true)
        {
            if (cursor >= limit)
            {
                return false;
            }
            int len = packet[cursor];
            if ((len & 0xC0) == 0xC0)
            {
                if (cursor + 1 >= limit || ++hops > MaxPointerHops)
                {
                    return false;
                }
                int target = ((len & 0x3F) << 8) | packet[cursor + 1];
                if (target >= cursor || target < DnsHeader.Size)
                {
                    return false; // forward, self or into the header
                }
                if (end < 0)
                {
                    end = cursor + 2;
                }
                limit = cursor;
                cursor = target;
                continue;
            }
            if ((len & 0xC0) != 0)
            {
                return false; // 0x40/0x80: obsolete extended label types
            }
            if (written + 1 + len > 255 || cursor + 1 + len > limit)
            {
                return false;
            }
            name[written++] = (byte)len;
            if (len == 0)
            {
                break;
            }
            ReadOnlySpan<byte> label = packet.Slice(cursor + 1, len);
            for (int i = 0; i < label.Length; i++)
            {
                byte b = label[i];
                name[written + i] = (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;
            }
            written += len;
            query.LabelCount++;
            cursor += 1 + len;
        }
        query.NameLength = written;
        pos = end >= 0 ? end : cursor + 1;
        return true;
    }

    private static DnsParseStatus ParseAdditional(ReadOnlySpan<byte> packet, ref int pos, ref DnsQuery query)
    {
        int nameStart = pos;
        if (!TrySkipName(packet, ref pos))
        {
            return DnsParseStatus.FormErr;
        }
        bool rootOwner = pos - nameStart == 1 && packet[nameStart] == 0;
        if (pos + 10 > packet.Length)
        {
            return DnsParseStatus.FormErr;
        }
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(packet[pos..]);
        ushort cls = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 2)..]);
        uint ttl = BinaryPrimitives.ReadUInt32BigEndian(packet[(pos + 4)..]);
        int rdLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 8)..]);
        pos += 10;
        if (pos + rdLength > packet.Length)
        {
            return DnsParseStatus.FormErr;
        }
        ReadOnlySpan<byte> rdata = packet.Slice(pos, rdLength);
        pos += rdLength;
        if (type != DnsRecordType.OPT)
        {
            return DnsParseStatus.Ok; // e.g. TSIG/SIG(0) which we do not verify
        }

        // RFC 6891 6.1.1: at most one OPT, and its owner must be the root.
        if (query.HasEdns || !rootOwner)
        {
            return DnsParseStatus.FormErr;
        }
        query.HasEdns = true;
        query.EdnsUdpPayloadSize = Math.Max(cls, (ushort)512);
        query.EdnsVersion = (byte)(ttl >> 16);
        query.DnssecOk = (ttl & 0x8000) != 0;
        query.EdnsUnsupportedVersion = query.EdnsVersion != 0;
        return ParseOptions(rdata, ref query);
    }

    private static DnsParseStatus ParseOptions(ReadOnlySpan<byte> rdata, ref DnsQuery query)
    {
        while (!rdata.IsEmpty)
        {
            if (rdata.Length < 4)
            {
                return DnsParseStatus.FormErr;
            }
            ushort code = BinaryPrimitives.ReadUInt16BigEndian(rdata);
            int length = BinaryPrimitives.ReadUInt16BigEndian(rdata[2..]);
            if (4 + length > rdata.Length)
            {
                return DnsParseStatus.FormErr;
            }
            ReadOnlySpan<byte> data = rdata.Slice(4, length);
            rdata = rdata[(4 + length)..];
            if (code == DnsRecordType.EdnsOptionClientSubnet)
            {
                // A second ECS option is ambiguous: refuse to guess which subnet to answer for.
                if (query.HasClientSubnet || !TryParseClientSubnet(data, ref query.ClientSubnet))
                {
                    return DnsParseStatus.FormErr;
                }
                query.HasClientSubnet = true;
            }
            // Other options (cookies, padding, keepalive...) are ignored, as RFC 6891 6.1.2 requires.
        }
        return DnsParseStatus.Ok;
    }

    /// <summary>RFC 7871 6 / 7.1.1 validation; any violation is FORMERR.</summary>
    private static bool TryParseClientSubnet(ReadOnlySpan<byte> data, ref DnsClientSubnet ecs)
    {
        if (data.Length < 4)
        {
            return false;
        }
        ushort family = BinaryPrimitives.ReadUInt16BigEndian(data);
        byte source = data[2];
        byte scope = data[3];
        int maxPrefix = family switch
        {
            DnsClientSubnet.FamilyIPv4 => 32,
            DnsClientSubnet.FamilyIPv6 => 128,
            _ => -1,
        };
        if (maxPrefix < 0 || source > maxPrefix || scope > maxPrefix)
        {
            return false;
        }
        ReadOnlySpan<byte> address = data[4..];
        int expected = (source + 7) >> 3;
        if (address.Length != expected)
        {
            return false;
        }
        if (expected > 0 && (source & 7) != 0)
        {
            byte mask = (byte)(0xFF >> (source & 7));
            if ((address[expected - 1] & mask) != 0)
            {
                return false; // bits beyond the source prefix must be zero
            }
        }
        ecs.Family = family;
        ecs.SourcePrefix = source;
        ecs.ScopePrefix = scope;
        address.CopyTo(ecs.Address);
        return true;
    }

    /// <summary>Skips a (possibly compressed) name without following pointers: a pointer always ends a name.</summary>
    private static bool TrySkipName(ReadOnlySpan<byte> packet, ref int pos)
    {
        int total = 0;
        while (pos < packet.Length)
        {
            int len = packet[pos];
            if ((len & 0xC0) == 0xC0)
            {
                pos += 2;
                return pos <= packet.Length;
            }
            if ((len & 0xC0) != 0)
            {
                return false;
            }
            total += len + 1;
            pos += len + 1;
            if (total > 255)
            {
                return false;
            }
            if (len == 0)
            {
                return pos <= packet.Length;
            }
        }
        return false;
    }
}
