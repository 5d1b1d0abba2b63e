using System.Buffers.Binary;

namespace Meridian.Dns.Wire;

/// <summary>
/// Writes a response into a caller-supplied buffer with no allocation: header, the question copied verbatim, then
/// records section by section (answer, authority, additional, in that order) with RFC 1035 4.1.4 name compression
/// through a fixed 32-entry table of name offsets. Every <c>TryWrite</c> either writes a whole record or returns
/// false leaving the message unchanged, so the caller can stop and set TC (<see cref="SetTruncated"/>) or roll back
/// to an earlier <see cref="Mark"/>. <see cref="Finish"/> patches the section counts into the header.
/// </summary>
/// <remarks>
/// Hand-written instead of using ARSoft.Tools.Net / Makaretu.Dns because those build an object graph per message;
/// the server answers ~170k qps per core with zero allocations per query. Measured against both in
/// bench/Meridian.Benchmarks/CodecComparisonBenchmarks.cs (numbers: docs/architecture.md "Why a codec of our own").
/// Size the buffer with <see cref="DnsQuery.MaxUdpResponseSize"/> for UDP, 65535 for TCP.
/// </remarks>
public ref partial struct DnsResponseWriter
{
    private const ushort QuestionPointer = 0xC000 | DnsHeader.Size;
    private const int MaxPointerOffset = 0x3FFF;

    private readonly Span<byte> _buffer;
    private int _position;
    private int _end; // _buffer.Length minus the reserved tail (see Reserve)
    private ushort _qd;
    private ushort _an;
    private ushort _ns;
    private ushort _ar;
    private DnsSection _section;
    private int _nameCount;
    private CompressionTable _names;

    /// <summary>Starts a response in <paramref name="buffer"/>; the usable size is the buffer's length.</summary>
    public DnsResponseWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
        _end = buffer.Length;
    }

    /// <summary>Size of the OPT record <see cref="TryWriteOpt(ushort, DnsRcode, bool)"/> writes for this query (0 without EDNS).</summary>
    public static int GetOptSize(ref readonly DnsQuery query) =>
        !query.HasEdns ? 0 : 11 + (query.HasClientSubnet ? 8 + query.ClientSubnet.AddressLength : 0);

    /// <summary>
    /// Keeps the last <paramref name="bytes"/> of the buffer free, e.g. for the OPT record, which must be present even
    /// in a truncated response (RFC 6891 7). Undo with <see cref="ReleaseReserve"/> before writing into it.
    /// </summary>
    public void Reserve(int bytes) => _end = Math.Max(_position, _buffer.Length - Math.Max(0, bytes));

    /// <summary>Makes the whole buffer usable again.</summary>
    public void ReleaseReserve() => _end = _buffer.Length;

    /// <summary>Bytes written so far.</summary>
    public readonly int Length => _position;

    /// <summary>The message written so far (counts are only final after <see cref="Finish"/>).</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[.._position];

    public readonly ushort AnswerCount => _an;

    /// <summary>Writes the header with zero counts; must be first. False if the buffer is under 12 bytes.</summary>
    public bool TryWriteHeader(ushort id, ushort flags)
    {
        if (_position != 0)
        {
            throw new InvalidOperationException("The header must be written first.");
        }
        if (_end < DnsHeader.Size)
        {
            return false;
        }
        DnsHeader.Write(_buffer, id, flags, 0, 0, 0, 0);
        _position = DnsHeader.Size;
        return true;
    }

    /// <summary>Header for a response to <paramref name="query"/>: id echoed, QR/opcode/RD/CD, AA and rcode.</summary>
    public bool TryWriteHeader(ref readonly DnsQuery query, DnsRcode rcode, bool authoritative) =>
        TryWriteHeader(query.Id, DnsHeader.ResponseFlags(query.Flags, rcode, authoritative));

    /// <summary>Replaces the flags word (e.g. to change the rcode after the answer turned out to be NXDOMAIN).</summary>
    public readonly void SetFlags(ushort flags) => BinaryPrimitives.WriteUInt16BigEndian(_buffer[DnsHeader.FlagsOffset..], flags);

    public readonly ushort Flags => BinaryPrimitives.ReadUInt16BigEndian(_buffer[DnsHeader.FlagsOffset..]);

    /// <summary>Sets the header's 4-bit rcode (extended bits go in the OPT record).</summary>
    public readonly void SetRcode(DnsRcode rcode) =>
        SetFlags((ushort)((Flags & ~DnsHeader.RcodeMask) | ((int)rcode & DnsHeader.RcodeMask)));

    /// <summary>Sets TC: the client should retry over TCP.</summary>
    public readonly void SetTruncated() => SetFlags((ushort)(Flags | DnsHeader.FlagTC));

    /// <summary>Copies the query's question verbatim (keeping the client's letter case, RFC 1035 7.3 / 0x20).</summary>
    public bool TryWriteQuestion(scoped ReadOnlySpan<byte> packet, ref readonly DnsQuery query)
    {
        RequireQuestionPosition();
        if (query.QuestionLength <= 0 || query.QuestionOffset + query.QuestionLength > packet.Length)
        {
            throw new ArgumentException("The query's question was not parsed from this packet.", nameof(query));
        }
        ReadOnlySpan<byte> question = packet.Slice(query.QuestionOffset, query.QuestionLength);
        if (!question.TryCopyTo(_buffer[_position.._end]))
        {
            return false;
        }
        RegisterNameLabels(_position);
        _position += question.Length;
        _qd = 1;
        return true;
    }

    /// <summary>Writes a question from an uncompressed wire name (for building queries or synthetic messages).</summary>
    public bool TryWriteQuestion(scoped ReadOnlySpan<byte> name, ushort type, ushort cls)
    {
        RequireQuestionPosition();
        RequireName(name);
        if (_position + name.Length + 4 > _end)
        {
            return false;
        }
        name.CopyTo(_buffer[_position..]);
        RegisterNameLabels(_position);
        _position += name.Length;
        WriteUInt16(type);
        WriteUInt16(cls);
        _qd = 1;
        return true;
    }

    /// <summary>Captures the current record boundary.</summary>
    public readonly DnsWriterMark Mark() => new(_position, _nameCount, _qd, _an, _ns, _ar, _section);

    /// <summary>Discards everything written after <paramref name="mark"/>.</summary>
    public void Rollback(DnsWriterMark mark)
    {
        _position = mark.Position;
        _nameCount = mark.NameCount;
        _qd = mark.QdCount;
        _an = mark.AnCount;
        _ns = mark.NsCount;
        _ar = mark.ArCount;
        _section = mark.Section;
    }

    /// <summary>
    /// Writes a record with pre-encoded RDATA (as produced by <see cref="RdataEncoder"/>). The owner is compressed;
    /// names inside NS/CNAME/PTR/MX/SOA RDATA are compressed too (RFC 3597 allows it for these well-known types
    /// only); every other RDATA (including SRV, RFC 2782) is copied verbatim.
    /// </summary>
    public bool TryWriteRecord(DnsSection section, scoped ReadOnlySpan<byte> owner, ushort type, ushort cls, uint ttl, scoped ReadOnlySpan<byte> rdata)
    {
        RequireName(owner);
        DnsWriterMark mark = BeginRecord(section);
        if (TryWriteName(owner, compress: true) && TryWriteRecordBody(type, cls, ttl, rdata))
        {
            CountRecord(section);
            return true;
        }
        Rollback(mark);
        return false;
    }

    /// <summary>Like <see cref="TryWriteRecord"/> with the question name as owner: a 2-byte pointer to offset 12.</summary>
    public bool TryWriteQuestionRecord(DnsSection section, ushort type, ushort cls, uint ttl, scoped ReadOnlySpan<byte> rdata)
    {
        if (_qd == 0)
        {
            throw new InvalidOperationException("No question has been written.");
        }
        DnsWriterMark mark = BeginRecord(section);
        if (_position + 2 <= _end)
        {
            WriteUInt16(QuestionPointer);
            if (TryWriteRecordBody(type, cls, ttl, rdata))
            {
                CountRecord(section);
                return true;
            }
        }
        Rollback(mark);
        return false;
    }

    /// <summary>Patches the section counts into the header and returns the message length.</summary>
    public readonly int Finish()
    {
        if (_position < DnsHeader.Size)
        {
            throw new InvalidOperationException("No header has been written.");
        }
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[DnsHeader.QdCountOffset..], _qd);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[DnsHeader.AnCountOffset..], _an);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[DnsHeader.NsCountOffset..], _ns);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[DnsHeader.ArCountOffset..], _ar);
        return _position;
    }

    /// <summary>TYPE, CLASS, TTL, RDLENGTH and RDATA (with embedded names compressed by type).</summary>
    private bool TryWriteRecordBody(ushort type, ushort cls, uint ttl, scoped ReadOnlySpan<byte> rdata)
    {
        if (!TryWriteFixed(type, cls, ttl, out int rdLengthAt))
        {
            return false;
        }
        int start = _position;
        bool ok = type switch
        {
            DnsRecordType.NS or DnsRecordType.CNAME or DnsRecordType.PTR => TryWriteNameRdata(rdata, 0, 0),
            DnsRecordType.MX => TryWriteNameRdata(rdata, 2, 0),
            DnsRecordType.SOA => TryWriteSoaRdata(rdata),
            _ => TryWriteBytes(rdata),
        };
        return ok && EndRdata(rdLengthAt, start);
    }

    /// <summary>RDATA = prefix bytes, one name (compressed), suffix bytes; verbatim copy if it does not parse.</summary>
    private bool TryWriteNameRdata(scoped ReadOnlySpan<byte> rdata, int prefix, int suffix)
    {
        int nameLength = rdata.Length >= prefix ? DnsName.GetWireLength(rdata[prefix..]) : -1;
        if (nameLength < 0 || prefix + nameLength + suffix != rdata.Length)
        {
            return TryWriteBytes(rdata);
        }
        return TryWriteBytes(rdata[..prefix])
            && TryWriteName(rdata.Slice(prefix, nameLength), compress: true)
            && TryWriteBytes(rdata[(prefix + nameLength)..]);
    }

    private bool TryWriteSoaRdata(scoped ReadOnlySpan<byte> rdata)
    {
        int mname = DnsName.GetWireLength(rdata);
        int rname = mname < 0 ? -1 : DnsName.GetWireLength(rdata[mname..]);
        if (rname < 0 || mname + rname + 20 != rdata.Length)
        {
            return TryWriteBytes(rdata);
        }
        return TryWriteName(rdata[..mname], compress: true)
            && TryWriteName(rdata.Slice(mname, rname), compress: true)
            && TryWriteBytes(rdata[(mname + rname)..]);
    }

    private DnsWriterMark BeginRecord(DnsSection section)
    {
        if (_position < DnsHeader.Size)
        {
            throw new InvalidOperationException("No header has been written.");
        }
        if (section < _section)
        {
            throw new InvalidOperationException($"Cannot write to {section} after {_section}.");
        }
        DnsWriterMark mark = Mark();
        _section = section;
        return mark;
    }

    private void CountRecord(DnsSection section)
    {
        switch (section)
        {
            case DnsSection.Answer:
                _an++;
                break;
            case DnsSection.Authority:
                _ns++;
                break;
            default:
                _ar++;
                break;
        }
    }

    private bool TryWriteFixed(ushort type, ushort cls, uint ttl, out int rdLengthAt)
    {
        rdLengthAt = _position + 8;
        if (_position + 10 > _end)
        {
            return false;
        }
        WriteUInt16(type);
        WriteUInt16(cls);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[_position..], ttl);
        _position += 6; // TTL and the RDLENGTH placeholder
        return true;
    }

    private readonly bool EndRdata(int rdLengthAt, int rdataStart)
    {
        int length = _position - rdataStart;
        if (length > ushort.MaxValue)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[rdLengthAt..], (ushort)length);
        return true;
    }

    private bool TryWriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        if (!bytes.TryCopyTo(_buffer[_position.._end]))
        {
            return false;
        }
        _position += bytes.Length;
        return true;
    }

    private void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], value);
        _position += 2;
    }

    private readonly void RequireQuestionPosition()
    {
        if (_position != DnsHeader.Size || _qd != 0)
        {
            throw new InvalidOperationException("The question must directly follow the header.");
        }
    }

    private static void RequireName(ReadOnlySpan<byte> name)
    {
        if (DnsName.GetWireLength(name) != name.Length)
        {
            throw new ArgumentException("Not an uncompressed wire-format name.", nameof(name));
        }
    }
}
