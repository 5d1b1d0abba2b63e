using System.Globalization;
using System.Net;

namespace Meridian.SampleApp.Data;

/// <summary>
/// Where the app connects: <c>host[:port]</c> as given on the command line. The host is an IP address or a name
/// (<c>db-writer.mydomain.test</c>) resolved through <see cref="DatabaseOptions.Dns"/> on every new connection.
/// </summary>
public sealed record DatabaseEndpoint(string Host, int Port)
{
    public const int DefaultPort = 5432;

    /// <summary>The host as an address when it is one (no resolution needed).</summary>
    public IPAddress? Address => IPAddress.TryParse(Host, out var address) ? address : null;

    /// <summary>Parses <c>host</c>, <c>host:port</c>, <c>[v6]:port</c>; the port defaults to 5432.</summary>
    public static DatabaseEndpoint Parse(string text, string flag = "database endpoint")
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        if (value.Length == 0)
        {
            throw new FormatException($"{flag}: expected host[:port], e.g. db-writer.mydomain.test:5432, found nothing.");
        }

        string host = value;
        var port = DefaultPort;
        var colon = value.LastIndexOf(':');
        var bracket = value.LastIndexOf(']');
        var bareV6 = value.Count(c => c == ':') > 1 && !value.StartsWith('[');
        if (colon > bracket && !bareV6)
        {
            if (!int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                throw new FormatException($"{flag} '{text}': the port must be 1-65535.");
            }

            host = value[..colon];
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            throw new FormatException($"{flag} '{text}': expected host[:port], e.g. db-writer.mydomain.test:5432.");
        }

        return new DatabaseEndpoint(host, port);
    }

    public override string ToString() => Address is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 }
        ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}"
        : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
