using System.Buffers.Binary;

namespace Meridian.Dns.Wire;

// Typed record writers (class IN) that build RDATA in place from wire names, plus the OPT pseudo-record.
public ref partial struct DnsResponseWriter
{
    /// <summary>A record whose RDATA is one name: CNAME, NS, PTR (compressed, RFC 1035).</summary>
    public bool TryWriteNameRecord(DnsSection section, scoped ReadOnlySpan<byte> owner, ushort type, uint ttl, scoped ReadOnlySpan<byte> target)
    {
        RequireName(target);
        return TryWriteTyped(section, owner, type, ttl, 0, 0, 0, target, compressTarget: true);
    }

    /// <summary>MX: preference and exchange (compressed).</summary>
    public bool TryWriteMx(DnsSection section, scoped ReadOnlySpan<byte> owner, uint ttl, ushort preference, scoped ReadOnlySpan<byte> exchange)
    {
        RequireName(exchange);
        return TryWriteTyped(section, owner, DnsRecordType.MX, ttl, 1, preference, 0, exchange, compressTarget: true);
    }

    /// <summary>SRV: the target is never compressed (RFC 2782), though later names may point into it.</summary>
    public bool TryWriteSrv(DnsSection section, scoped ReadOnlySpan<byte> owner, uint ttl, ushort priority, ushort weight, ushort port, scoped ReadOnlySpan<byte> target)
    {
        RequireName(target);
        uint prefix = ((uint)priority << 16) | weight;
        return TryWriteTyped(section, owner, DnsRecordType.SRV, ttl, 3, prefix, port, target, compressTarget: false);
    }

    /// <summary>SOA with compressed MNAME and RNAME, typically in the authority section of NXDOMAIN/NODATA.</summary>
    public bool TryWriteSoa(DnsSection section, scoped ReadOnlySpan<byte> owner, uint ttl, scoped ReadOnlySpan<byte> mname, scoped ReadOnlySpan<byte> rname,
        uint serial, uint refresh, uint retry, uint expire, uint minimum)
    {
        RequireName(owner);
        RequireName(mname);
        RequireName(rname);
        DnsWriterMark mark = BeginRecord(section);
        if (TryWriteName(owner, compress: true) && TryWriteFixed(DnsRecordType.SOA, DnsRecordType.ClassIN, ttl, out int rdLengthAt))
        {
            int start = _position;
            if (TryWriteName(mname, compress: true) && TryWriteName(rname, compress: true) && _position + 20 <= _end)
            {
                Span<byte> t = _buffer.Slice(_position, 20);
                BinaryPrimitives.WriteUInt32BigEndian(t, serial);
                BinaryPrimitives.WriteUInt32BigEndian(t[4..], refresh);
                BinaryPrimitives.WriteUInt32BigEndian(t[8..], retry);
                BinaryPrimitives.WriteUInt32BigEndian(t[12..], expire);
                BinaryPrimitives.WriteUInt32BigEndian(t[16..], minimum);
                _position += 20;
                if (EndRdata(rdLengthAt, start))
                {
                    CountRecord(section);
                    return true;
                }
            }
        }
        Rollback(mark);
        return false;
    }

    /// <summary>
    /// The OPT pseudo-record (RFC 6891) in the additional section: our UDP payload size, the upper 8 bits of
    /// <paramref name="rcode"/> (e.g. 1 for BADVERS), version 0 and the DO bit.
    /// </summary>
    public bool TryWriteOpt(ushort udpPayloadSize, DnsRcode rcode, bool dnssecOk)
    {
        DnsClientSubnet none = default;
        return TryWriteOpt(udpPayloadSize, rcode, dnssecOk, ref none, includeSubnet: false, 0);
    }

    /// <summary>
    /// OPT echoing the query's client subnet option with the scope this answer is valid for (RFC 7871 7.2.1: family,
    /// source prefix and address as received; scope 0 means valid for all clients).
    /// </summary>
    public bool TryWriteOpt(ushort udpPayloadSize, DnsRcode rcode, bool dnssecOk, ref readonly DnsClientSubnet subnet, byte scopePrefix) =>
        TryWriteOpt(udpPayloadSize, rcode, dnssecOk, in subnet, includeSubnet: true, scopePrefix);

    private bool TryWriteOpt(ushort udpPayloadSize, DnsRcode rcode, bool dnssecOk, ref readonly DnsClientSubnet subnet, bool includeSubnet, byte scopePrefix)
    {
        int addressLength = includeSubnet ? subnet.AddressLength : 0;
        int rdLength = includeSubnet ? 8 + addressLength : 0;
        DnsWriterMark mark = BeginRecord(DnsSection.Additional);
        if (_position + 11 + rdLength > _end)
        {
            Rollback(mark);
            return false;
        }
        _buffer[_position++] = 0; // root owner
        uint ttl = ((uint)DnsHeader.SplitRcode(rcode).ExtendedRcode << 24) | (dnssecOk ? 0x8000u : 0u);
        TryWriteFixed(DnsRecordType.OPT, udpPayloadSize, ttl, out int rdLengthAt);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[rdLengthAt..], (ushort)rdLength);
        if (includeSubnet)
        {
            WriteUInt16(DnsRecordType.EdnsOptionClientSubnet);
            WriteUInt16((ushort)(4 + addressLength));
            WriteUInt16(subnet.Family);
            _buffer[_position++] = subnet.SourcePrefix;
            _buffer[_position++] = scopePrefix;
            ((ReadOnlySpan<byte>)subnet.Address)[..addressLength].CopyTo(_buffer[_position..]);
            _position += addressLength;
        }
        CountRecord(DnsSection.Additional);
        return true;
    }

    /// <summary>Owner, fixed fields, then RDATA = optional 2/4/6-byte prefix and one target name.</summary>
    private bool TryWriteTyped(DnsSection section, scoped ReadOnlySpan<byte> owner, ushort type, uint ttl,
        int prefixWords, uint prefix, ushort lastWord, scoped ReadOnlySpan<byte> target, bool compressTarget)
    {
        RequireName(owner);
        DnsWriterMark mark = BeginRecord(section);
        if (TryWriteName(owner, compress: true) && TryWriteFixed(type, DnsRecordType.ClassIN, ttl, out int rdLengthAt)
            && _position + (prefixWords * 2) <= _end)
        {
            int start = _position;
            if (prefixWords == 1)
            {
                WriteUInt16((ushort)prefix);
            }
            else if (prefixWords == 3)
            {
                BinaryPrimitives.WriteUInt32BigEndian(_buffer[_position..], prefix);
                _position += 4;
                WriteUInt16(lastWord);
            }
            if (TryWriteName(target, compressTarget) && EndRdata(rdLengthAt, start))
            {
                CountRecord(section);
                return true;
            }
        }
        Rollback(mark);
        return false;
    }
}
