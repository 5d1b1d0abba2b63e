using System.Globalization;
using System.Text.RegularExpressions;
using Meridian.Topology.Model;

namespace Meridian.Topology.Validation;

/// <summary>Syntax of record values in presentation form, per type.</summary>
internal static partial class RecordValues
{
    [GeneratedRegex("""^([0-9]{1,3})\s+([A-Za-z0-9]{1,15})\s+"([^"]*)"$""")]
    private static partial Regex CaaPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>Null when <paramref name="value"/> is a valid value of <paramref name="type"/>.</summary>
    public static string? Error(RecordType type, string value)
    {
        var v = value.Trim();
        switch (type)
        {
            case RecordType.A:
                return Addresses.TryParseV4(v, out _) ? null : $"expected an IPv4 address like 192.0.2.1, found '{value}'";
            case RecordType.AAAA:
                return Addresses.TryParseV6(v, out _) ? null : $"expected an IPv6 address like 2001:db8::1, found '{value}'";
            case RecordType.CNAME:
            case RecordType.NS:
                return DomainName.ValueError(v) is { } e ? $"expected a domain name: {e}" : null;
            case RecordType.MX:
                return Fields(v, 2, "preference name", "10 mail.example.test", value) ?? Number(v, 0, "preference", 65535)
                    ?? Name(v, 1);
            case RecordType.SRV:
                return Fields(v, 4, "priority weight port target", "10 60 5060 sip.example.test", value)
                    ?? Number(v, 0, "priority", 65535) ?? Number(v, 1, "weight", 65535) ?? Number(v, 2, "port", 65535) ?? Name(v, 3);
            case RecordType.CAA:
                var m = CaaPattern().Match(v);
                if (!m.Success)
                {
                    return $"expected flags tag \"value\" like 0 issue \"letsencrypt.org\", found '{value}'";
                }
                return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > 255 ? "CAA flags must be between 0 and 255" : null;
            case RecordType.TXT:
                return null; // any text; strings over 255 characters are split into chunks when served
            default:
                return $"records of type {type} cannot be declared here";
        }
    }

    private static string[] Split(string v) => Whitespace().Split(v);

    private static string? Fields(string v, int count, string shape, string example, string original) =>
        Split(v).Length == count ? null : $"expected '{shape}' like '{example}', found '{original}'";

    private static string? Number(string v, int index, string what, int max)
    {
        var text = Split(v)[index];
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max
            ? null
            : $"{what} must be between 0 and {max}, found '{text}'";
    }

    private static string? Name(string v, int index) =>
        DomainName.ValueError(Split(v)[index]) is { } e ? $"expected a domain name: {e}" : null;
}
