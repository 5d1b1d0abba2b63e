using System.Globalization;
using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>Field readers shared by the HTTP sections (load balancers, edge): paths, hosts, status codes, header names.</summary>
internal static class HttpFields
{
    /// <summary>A URL path: starts with '/', no whitespace. Reported and null otherwise.</summary>
    public static string? Path(MapReader map, string key)
    {
        if (map.String(key) is not { } path)
        {
            return null;
        }
        if (!path.StartsWith('/') || path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            map.Context.Error(map.Get(key)!, map.PathOf(key), $"{key} must start with '/' and contain no spaces, found '{path}'");
            return null;
        }
        return path;
    }

    /// <summary><c>host:port</c> with the port required; the host is an IP address or a host name (lower-cased).</summary>
    public static TargetConfig? HostPort(LoadContext ctx, YNode node, string path)
    {
        if (YamlReader.AsString(ctx, node, path) is not { } raw)
        {
            return null;
        }
        var text = raw.Trim();
        if (!Addresses.SplitHostPort(text, out var host, out var portText) || portText is null)
        {
            ctx.Error(node, path, $"expected host:port (IPv6 as [::1]:80), found '{raw}'");
            return null;
        }
        if (!Addresses.TryParseIp(host, out var ip) && DomainName.Error(DomainName.Absolute(host), allowWildcard: false) is { } nameError)
        {
            ctx.Error(node, path, $"host must be an IP address or a name: {nameError}");
            return null;
        }
        if (Port(portText) is not { } port)
        {
            ctx.Error(node, path, $"port must be between 1 and 65535, found '{portText}'");
            return null;
        }
        return new TargetConfig(Addresses.TryParseIp(host, out ip) ? ip.ToString() : DomainName.Absolute(host), port);
    }

    public static int? Port(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535 ? port : null;

    /// <summary>
    /// Status codes as ranges: <c>200</c>, <c>"200-299"</c>, <c>"200,202"</c> or a list of those; each code within
    /// <paramref name="min"/>..<paramref name="max"/>.
    /// </summary>
    public static IReadOnlyList<StatusRange>? StatusRanges(LoadContext ctx, YNode node, string path, int min, int max)
    {
        var items = YamlReader.AsList(ctx, node, path);
        if (items.Count == 0)
        {
            ctx.Error(node, path, "at least one status code is required");
            return null;
        }
        var ranges = new List<StatusRange>();
        var ok = true;
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = node is YSequence ? LoadContext.Index(path, i) : path;
            if (YamlReader.AsString(ctx, items[i], itemPath) is not { } text)
            {
                ok = false;
                continue;
            }
            foreach (var part in text.Split(','))
            {
                if (ParseRange(part, min, max) is { } range)
                {
                    ranges.Add(range);
                }
                else
                {
                    ctx.Error(items[i], itemPath, $"expected a status code ({min}-{max}) or a range like 200-299, found '{part.Trim()}'");
                    ok = false;
                }
            }
        }
        return ok ? ranges : null;
    }

    private static StatusRange? ParseRange(string text, int min, int max)
    {
        var parts = text.Split('-', 2);
        if (!TryStatus(parts[0], min, max, out var from))
        {
            return null;
        }
        if (parts.Length == 1)
        {
            return new StatusRange(from, from);
        }
        return TryStatus(parts[1], min, max, out var to) && to >= from ? new StatusRange(from, to) : null;
    }

    public static bool TryStatus(string text, int min, int max, out int status) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out status) && status >= min && status <= max;

    /// <summary>An HTTP header name (RFC 9110 token).</summary>
    public static string? HeaderName(MapReader map, string key)
    {
        if (map.String(key) is not { } name)
        {
            return null;
        }
        if (name.Length == 0 || !name.All(IsTokenChar))
        {
            map.Context.Error(map.Get(key)!, map.PathOf(key),
                $"expected a header name (letters, digits and !#$%&'*+-.^_`|~), found '{name}'");
            return null;
        }
        return name;
    }

    /// <summary>An RFC 9110 token (header names): non-empty, letters, digits and !#$%&'*+-.^_`|~.</summary>
    public static bool IsToken(string name) => name.Length > 0 && name.All(IsTokenChar);

    private static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' || "!#$%&'*+-.^_`|~".Contains(c);

    /// <summary>Reports a timeout that is not shorter than its interval (ALB rule), naming the default when one was omitted.</summary>
    public static bool TimeoutBelowInterval(MapReader map, TimeSpan interval, TimeSpan timeout)
    {
        if (timeout < interval)
        {
            return true;
        }
        if (map.Get("timeout") is { } timeoutNode)
        {
            map.Context.Error(timeoutNode, map.PathOf("timeout"),
                $"timeout ({Format(timeout)}) must be shorter than interval ({Format(interval)}{(map.Get("interval") is null ? ", the default" : "")})");
        }
        else
        {
            map.Context.Error(map.Get("interval") ?? map.Node, map.PathOf("interval"),
                $"interval ({Format(interval)}) must be longer than timeout ({Format(timeout)}, the default); set timeout below {Format(interval)}");
        }
        return false;
    }

    public static string Format(TimeSpan t) =>
        t.TotalMilliseconds < 1000 ? $"{t.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms" : $"{t.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
}
