using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Meridian.Topology.Validation;

/// <summary>Strict IP, endpoint and CIDR parsing (IPAddress.TryParse alone accepts "1" as 0.0.0.1).</summary>
internal static class Addresses
{
    public static bool TryParseIp(string text, out IPAddress address) =>
        TryParseV4(text, out address) || TryParseV6(text, out address);

    public static bool TryParseV4(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Split('.').Length != 4 || !IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }
        address = parsed;
        return true;
    }

    public static bool TryParseV6(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (!text.Contains(':') || text.Contains('%') || !IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }
        address = parsed;
        return true;
    }

    /// <summary><c>ip:port</c> or <c>[v6]:port</c>, port required.</summary>
    public static string? TryParseEndpoint(string text, out IPEndPoint endpoint)
    {
        endpoint = new IPEndPoint(IPAddress.None, 0);
        if (!SplitHostPort(text, out var host, out var portText) || portText is null)
        {
            return $"expected ip:port (IPv6 as [::1]:53), found '{text}'";
        }
        if (!TryParseIp(host, out var ip))
        {
            return $"expected an IP address before the port, found '{host}'";
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return $"port must be between 1 and 65535, found '{portText}'";
        }
        endpoint = new IPEndPoint(ip, port);
        return null;
    }

    /// <summary>Splits <c>host:port</c>, <c>[v6]:port</c>, <c>[v6]</c> or <c>host</c>; false for an unbracketed IPv6.</summary>
    public static bool SplitHostPort(string text, out string host, out string? port)
    {
        host = text;
        port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                return false;
            }
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length == 0)
            {
                return TryParseV6(host, out _);
            }
            if (!rest.StartsWith(':'))
            {
                return false;
            }
            port = rest[1..];
            return TryParseV6(host, out _);
        }
        var colons = text.Count(c => c == ':');
        if (colons > 1)
        {
            return false; // bare IPv6: ambiguous with a port, must be bracketed
        }
        if (colons == 1)
        {
            var i = text.IndexOf(':');
            host = text[..i];
            port = text[(i + 1)..];
        }
        return host.Length > 0;
    }

    /// <summary>Parses <c>address/prefix</c>; on host bits set, returns an error suggesting the network address.</summary>
    public static string? TryParseCidr(string text, out IPNetwork network)
    {
        network = default;
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            return $"expected a CIDR block like 81.2.69.0/24, found '{text}'";
        }
        var addressText = text[..slash];
        if (!TryParseIp(addressText, out var address))
        {
            return $"expected a CIDR block like 81.2.69.0/24, found '{text}'";
        }
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > bits)
        {
            return $"prefix length must be between 0 and {bits}, found '{text[(slash + 1)..]}'";
        }
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        var masked = new IPAddress(bytes);
        if (!masked.Equals(address))
        {
            return $"'{text}' has host bits set; did you mean {masked}/{prefix}?";
        }
        network = new IPNetwork(masked, prefix);
        return null;
    }
}
