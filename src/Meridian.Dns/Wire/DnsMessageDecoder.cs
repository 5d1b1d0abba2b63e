using System.Buffers.Binary;

namespace Meridian.Dns.Wire;

/// <summary>
/// Decodes a whole message (any section, any direction) into an object graph with presentation-form data. For tests,
/// to check what <see cref="DnsResponseWriter"/> produced, and for diagnostic tools; it allocates and is not used on
/// the query path. Throws <see cref="FormatException"/> on malformed input.
/// </summary>
public static class DnsMessageDecoder
{
    public static DecodedMessage Decode(ReadOnlySpan<byte> message)
    {
        if (message.Length < DnsHeader.Size)
        {
            throw new FormatException("Message shorter than a header.");
        }
        byte[] bytes = message.ToArray();
        int pos = DnsHeader.Size;
        var questions = new List<DecodedQuestion>();
        for (int i = DnsHeader.ReadCount(bytes, DnsHeader.QdCountOffset); i > 0; i--)
        {
            string name = ReadName(bytes, ref pos);
            Need(bytes, pos, 4);
            questions.Add(new DecodedQuestion(name, ReadUInt16(bytes, pos), ReadUInt16(bytes, pos + 2)));
            pos += 4;
        }
        List<DecodedRecord> answers = ReadRecords(bytes, ref pos, DnsHeader.ReadCount(bytes, DnsHeader.AnCountOffset), out _);
        List<DecodedRecord> authority = ReadRecords(bytes, ref pos, DnsHeader.ReadCount(bytes, DnsHeader.NsCountOffset), out _);
        List<DecodedRecord> additional = ReadRecords(bytes, ref pos, DnsHeader.ReadCount(bytes, DnsHeader.ArCountOffset), out DecodedOpt? opt);
        return new DecodedMessage
        {
            Id = DnsHeader.ReadId(bytes),
            Flags = DnsHeader.ReadFlags(bytes),
            Questions = questions,
            Answers = answers,
            Authority = authority,
            Additional = additional,
            Opt = opt,
        };
    }

    /// <summary>Reads a possibly compressed name at <paramref name="pos"/> and advances past it.</summary>
    public static string ReadName(byte[] message, ref int pos)
    {
        Span<byte> wire = stackalloc byte[DnsName.MaxWireLength];
        int written = 0;
        int cursor = pos;
        int end = -1;
        for (int hops = 0; ; )
        {
            Need(message, cursor, 1);
            int len = message[cursor];
            if ((len & 0xC0) == 0xC0)
            {
                Need(message, cursor, 2);
                if (++hops > 64)
                {
                    throw new FormatException("Compression pointer loop.");
                }
                end = end < 0 ? cursor + 2 : end;
                cursor = ((len & 0x3F) << 8) | message[cursor + 1];
                continue;
            }
            if (len > DnsName.MaxLabelLength || written + len + 1 > DnsName.MaxWireLength)
            {
                throw new FormatException("Label or name too long.");
            }
            Need(message, cursor, len + 1);
            message.AsSpan(cursor, len + 1).CopyTo(wire[written..]);
            written += len + 1;
            cursor += len + 1;
            if (len == 0)
            {
                break;
            }
        }
        pos = end >= 0 ? end : cursor;
        return ToPresentationKeepCase(wire[..written]);
    }

    private static List<DecodedRecord> ReadRecords(byte[] message, ref int pos, int count, out DecodedOpt? opt)
    {
        opt = null;
        var records = new List<DecodedRecord>(count);
        for (int i = 0; i < count; i++)
        {
            string name = ReadName(message, ref pos);
            Need(message, pos, 10);
            ushort type = ReadUInt16(message, pos);
            ushort cls = ReadUInt16(message, pos + 2);
            uint ttl = BinaryPrimitives.ReadUInt32BigEndian(message.AsSpan(pos + 4));
            int rdLength = ReadUInt16(message, pos + 8);
            pos += 10;
            Need(message, pos, rdLength);
            if (type == DnsRecordType.OPT)
            {
                opt = ReadOpt(message.AsSpan(pos, rdLength), cls, ttl);
            }
            else
            {
                string data = RdataFormatter.Format(message, pos, rdLength, type);
                records.Add(new DecodedRecord(name, type, cls, ttl, data, message.AsSpan(pos, rdLength).ToArray()));
            }
            pos += rdLength;
        }
        return records;
    }

    private static DecodedOpt ReadOpt(ReadOnlySpan<byte> rdata, ushort cls, uint ttl)
    {
        var options = new List<DecodedOption>();
        while (rdata.Length >= 4)
        {
            ushort code = BinaryPrimitives.ReadUInt16BigEndian(rdata);
            int length = BinaryPrimitives.ReadUInt16BigEndian(rdata[2..]);
            if (4 + length > rdata.Length)
            {
                throw new FormatException("Truncated EDNS option.");
            }
            options.Add(new DecodedOption(code, rdata.Slice(4, length).ToArray()));
            rdata = rdata[(4 + length)..];
        }
        if (!rdata.IsEmpty)
        {
            throw new FormatException("Trailing bytes in OPT.");
        }
        return new DecodedOpt(cls, (byte)(ttl >> 24), (byte)(ttl >> 16), (ttl & 0x8000) != 0, options);
    }

    /// <summary>Like <see cref="DnsName.ToPresentation"/> but preserving case (to observe 0x20 echo).</summary>
    private static string ToPresentationKeepCase(ReadOnlySpan<byte> wire)
    {
        var parts = new List<string>();
        for (int i = 0; wire[i] != 0; i += wire[i] + 1)
        {
            ReadOnlySpan<byte> label = wire.Slice(i + 1, wire[i]);
            var chars = new char[label.Length];
            for (int k = 0; k < label.Length; k++)
            {
                chars[k] = (char)label[k];
            }
            parts.Add(new string(chars));
        }
        return parts.Count == 0 ? "." : string.Join('.', parts);
    }

    internal static ushort ReadUInt16(byte[] message, int pos) => BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(pos));

    internal static void Need(byte[] message, int pos, int count)
    {
        if (pos < 0 || pos + count > message.Length)
        {
            throw new FormatException($"Truncated message: need {count} bytes at offset {pos}.");
        }
    }
}
