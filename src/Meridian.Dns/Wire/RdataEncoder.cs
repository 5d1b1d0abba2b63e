using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Meridian.Topology.Model;

namespace Meridian.Dns.Wire;

/// <summary>
/// Encodes presentation-format values (as in the topology: "10 mail.example.test" for MX) into wire RDATA once, at
/// zone load, so answering a query is a memcpy. Names are written uncompressed and absolute (a trailing dot is
/// optional); the response writer compresses them where allowed.
/// </summary>
public static class RdataEncoder
{
    private const int MaxCharacterString = 255;

    /// <summary>Encodes <paramref name="value"/> as RDATA of <paramref name="type"/>; never throws.</summary>
    public static RdataResult Encode(RecordType type, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return RdataResult.Fail($"empty {type} value");
        }
        var output = new List<byte>(32);
        string? error = type switch
        {
            RecordType.A => EncodeA(value.Trim(), output),
            RecordType.AAAA => EncodeAaaa(value.Trim(), output),
            RecordType.NS or RecordType.CNAME => EncodeFields(value, output, "name", Field.Name),
            RecordType.MX => EncodeFields(value, output, "preference exchange", Field.UInt16, Field.Name),
            RecordType.SRV => EncodeFields(value, output, "priority weight port target", Field.UInt16, Field.UInt16, Field.UInt16, Field.Name),
            RecordType.SOA => EncodeFields(value, output, "mname rname serial refresh retry expire minimum",
                Field.Name, Field.Name, Field.UInt32, Field.UInt32, Field.UInt32, Field.UInt32, Field.UInt32),
            RecordType.TXT => EncodeTxt(value, output),
            RecordType.CAA => EncodeCaa(value, output),
            _ => $"unsupported record type {type}",
        };
        if (error is null && output.Count > ushort.MaxValue)
        {
            error = "RDATA is longer than 65535 bytes";
        }
        return error is null ? RdataResult.Ok([.. output]) : RdataResult.Fail($"invalid {type} value '{value}': {error}");
    }

    /// <summary>Like <see cref="Encode"/>, in the Try pattern.</summary>
    public static bool TryEncode(RecordType type, string value, out byte[] rdata, out string error)
    {
        RdataResult result = Encode(type, value);
        rdata = result.Data ?? [];
        error = result.Error ?? "";
        return result.Success;
    }

    private enum Field
    {
        Name,
        UInt16,
        UInt32,
    }

    private static string? EncodeFields(string value, List<byte> output, string syntax, params ReadOnlySpan<Field> fields)
    {
        string[] parts = value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != fields.Length)
        {
            return $"expected \"{syntax}\"";
        }
        for (int i = 0; i < fields.Length; i++)
        {
            string? error = fields[i] switch
            {
                Field.Name => AppendName(parts[i], output),
                Field.UInt16 => ushort.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out ushort u16)
                    ? AppendUInt(u16, 2, output) : $"'{parts[i]}' is not a number 0-65535",
                _ => uint.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out uint u32)
                    ? AppendUInt(u32, 4, output) : $"'{parts[i]}' is not a number 0-4294967295",
            };
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }

    private static string? AppendName(string name, List<byte> output)
    {
        Span<byte> buffer = stackalloc byte[DnsName.MaxWireLength];
        if (!DnsName.TryWriteWire(name, buffer, out int written, out string? error))
        {
            return $"name '{name}': {error}";
        }
        foreach (byte b in buffer[..written])
        {
            output.Add(b);
        }
        return null;
    }

    private static string? AppendUInt(uint value, int bytes, List<byte> output)
    {
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8)
        {
            output.Add((byte)(value >> shift));
        }
        return null;
    }

    /// <summary>Strict dotted quad: IPAddress.Parse would accept "1" or "0x7f.1" as IPv4.</summary>
    private static string? EncodeA(string value, List<byte> output)
    {
        string[] parts = value.Split('.');
        if (parts.Length != 4)
        {
            return "expected a dotted-quad IPv4 address";
        }
        foreach (string part in parts)
        {
            if (part.Length is 0 or > 3 || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out byte b))
            {
                return "expected a dotted-quad IPv4 address";
            }
            output.Add(b);
        }
        return null;
    }

    private static string? EncodeAaaa(string value, List<byte> output)
    {
        if (!value.Contains(':') || value.Contains('%') || !IPAddress.TryParse(value, out IPAddress? address)
            || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "expected an IPv6 address";
        }
        output.AddRange(address.GetAddressBytes());
        return null;
    }

    /// <summary>
    /// Without any double quote the whole value is one text (spaces included), which is what people mean by
    /// <c>v=spf1 -all</c>; with quotes it is zone-file syntax, one character-string per token. Texts longer than
    /// 255 bytes are split into consecutive character-strings (RFC 7208 3.3 joins them back).
    /// </summary>
    private static string? EncodeTxt(string value, List<byte> output)
    {
        var texts = new List<byte[]>();
        if (!value.Contains('"'))
        {
            texts.Add(Encoding.UTF8.GetBytes(value.Trim()));
        }
        else if (!CharacterStringReader.TryTokenize(value, texts, out string? error))
        {
            return error;
        }
        foreach (byte[] text in texts)
        {
            int offset = 0;
            do
            {
                int length = Math.Min(MaxCharacterString, text.Length - offset);
                output.Add((byte)length);
                output.AddRange(text.AsSpan(offset, length));
                offset += length;
            }
            while (offset < text.Length);
        }
        return null;
    }

    /// <summary>RFC 8659: flags (0-255), tag (1-15 ASCII letters/digits), value (rest, usually quoted).</summary>
    private static string? EncodeCaa(string value, List<byte> output)
    {
        var tokens = new List<byte[]>();
        if (!CharacterStringReader.TryTokenize(value, tokens, out string? error))
        {
            return error;
        }
        if (tokens.Count != 3)
        {
            return "expected 'flags tag \"value\"'";
        }
        string flags = Encoding.ASCII.GetString(tokens[0]);
        if (!byte.TryParse(flags, NumberStyles.None, CultureInfo.InvariantCulture, out byte flagByte))
        {
            return "flags must be a number 0-255";
        }
        byte[] tag = tokens[1];
        if (tag.Length is 0 or > 15 || !tag.All(b => char.IsAsciiLetterOrDigit((char)b)))
        {
            return "tag must be 1-15 letters or digits";
        }
        output.Add(flagByte);
        output.Add((byte)tag.Length);
        foreach (byte b in tag)
        {
            output.Add(DnsName.ToLower(b));
        }
        output.AddRange(tokens[2]);
        return null;
    }
}
