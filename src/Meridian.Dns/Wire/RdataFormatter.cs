using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Meridian.Dns.Wire;

/// <summary>RDATA to presentation text for <see cref="DnsMessageDecoder"/>; unknown types use RFC 3597 <c>\# len hex</c>.</summary>
internal static class RdataFormatter
{
    public static string Format(byte[] message, int start, int length, ushort type)
    {
        int end = start + length;
        ReadOnlySpan<byte> rdata = message.AsSpan(start, length);
        int pos = start;
        string result;
        switch (type)
        {
            case DnsRecordType.A when length == 4:
                result = $"{rdata[0]}.{rdata[1]}.{rdata[2]}.{rdata[3]}";
                break;
            case DnsRecordType.AAAA when length == 16:
                result = new IPAddress(rdata).ToString();
                break;
            case DnsRecordType.NS or DnsRecordType.CNAME or DnsRecordType.PTR:
                result = DnsMessageDecoder.ReadName(message, ref pos);
                break;
            case DnsRecordType.MX when length >= 3:
                pos += 2;
                result = $"{BinaryPrimitives.ReadUInt16BigEndian(rdata)} {DnsMessageDecoder.ReadName(message, ref pos)}";
                break;
            case DnsRecordType.SRV when length >= 7:
                pos += 6;
                result = $"{BinaryPrimitives.ReadUInt16BigEndian(rdata)} {BinaryPrimitives.ReadUInt16BigEndian(rdata[2..])} " +
                    $"{BinaryPrimitives.ReadUInt16BigEndian(rdata[4..])} {DnsMessageDecoder.ReadName(message, ref pos)}";
                break;
            case DnsRecordType.SOA:
                string mname = DnsMessageDecoder.ReadName(message, ref pos);
                string rname = DnsMessageDecoder.ReadName(message, ref pos);
                DnsMessageDecoder.Need(message, pos, 20);
                ReadOnlySpan<byte> t = message.AsSpan(pos, 20);
                pos += 20;
                result = $"{mname} {rname} {BinaryPrimitives.ReadUInt32BigEndian(t)} {BinaryPrimitives.ReadUInt32BigEndian(t[4..])} " +
                    $"{BinaryPrimitives.ReadUInt32BigEndian(t[8..])} {BinaryPrimitives.ReadUInt32BigEndian(t[12..])} {BinaryPrimitives.ReadUInt32BigEndian(t[16..])}";
                break;
            case DnsRecordType.TXT when length > 0:
                var texts = new List<string>();
                while (pos < end)
                {
                    int n = message[pos];
                    DnsMessageDecoder.Need(message, pos, n + 1);
                    texts.Add(Quote(message.AsSpan(pos + 1, n)));
                    pos += n + 1;
                }
                result = string.Join(' ', texts);
                break;
            case DnsRecordType.CAA when length >= 2 && 2 + rdata[1] <= length:
                int tagLength = rdata[1];
                result = $"{rdata[0]} {Encoding.ASCII.GetString(rdata.Slice(2, tagLength))} {Quote(rdata[(2 + tagLength)..])}";
                pos = end;
                break;
            default:
                return length == 0 ? @"\# 0" : $@"\# {length} {Convert.ToHexString(rdata)}";
        }
        if (pos != end && type is not (DnsRecordType.A or DnsRecordType.AAAA))
        {
            throw new FormatException($"RDATA of type {type} has {end - pos} unexpected trailing bytes.");
        }
        return result;
    }

    /// <summary>A character-string in double quotes with <c>"</c>, <c>\</c> and non-printable bytes escaped.</summary>
    private static string Quote(ReadOnlySpan<byte> text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (byte b in text)
        {
            if (b is (byte)'"' or (byte)'\\')
            {
                sb.Append('\\').Append((char)b);
            }
            else if (b < 0x20 || b >= 0x7F)
            {
                sb.Append('\\').Append(b.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append((char)b);
            }
        }
        return sb.Append('"').ToString();
    }
}
