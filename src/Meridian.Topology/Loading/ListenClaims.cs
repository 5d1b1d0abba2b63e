using System.Net;
using System.Net.Sockets;
using Meridian.Topology.Model;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>A listen endpoint some field already claimed; <see cref="Line"/> is 0 when it is a default.</summary>
internal sealed record ListenClaim(IPEndPoint Endpoint, string Field, int Line);

/// <summary>
/// Listen endpoints claimed across sections (dns, control, load balancers, edge locations), so a second claim of the
/// same address reports an error naming both fields. A wildcard address (0.0.0.0, ::) clashes with every address of
/// its family on the same port, as bind(2) would.
/// </summary>
internal static class ListenClaims
{
    /// <summary>DNS and control listeners (from the config, defaults included) plus those registered by earlier sections.</summary>
    public static List<ListenClaim> Existing(TopologyBuilder builder)
    {
        var config = builder.Config;
        var claims = new List<ListenClaim>();
        var dnsDefault = ReferenceEquals(config.Dns.Listen, DnsServerConfig.Default.Listen);
        for (var i = 0; i < config.Dns.Listen.Count; i++)
        {
            claims.Add(new(config.Dns.Listen[i], dnsDefault ? "dns.listen (default)" : LoadContext.Index("dns.listen", i), 0));
        }
        var controlDefault = ReferenceEquals(config.Control, ControlConfig.Default);
        claims.Add(new(config.Control.Listen, controlDefault ? "control.listen (default)" : "control.listen", 0));
        claims.AddRange(builder.Listeners);
        return claims;
    }

    /// <summary>Reports and returns false when <paramref name="endpoint"/> clashes with a claim; otherwise claims it.</summary>
    public static bool TryClaim(LoadContext ctx, List<ListenClaim> claims, IPEndPoint endpoint, YNode node, string path)
    {
        if (claims.FirstOrDefault(c => Clash(c.Endpoint, endpoint)) is { } other)
        {
            var where = other.Line > 0 ? $" (line {other.Line})" : "";
            var what = other.Endpoint.Equals(endpoint) ? "" : $" ({other.Endpoint})";
            ctx.Error(node, path, $"listen endpoint {endpoint} clashes with {other.Field}{what}{where}");
            return false;
        }
        claims.Add(new(endpoint, path, node.Line));
        return true;
    }

    public static bool Clash(IPEndPoint a, IPEndPoint b) =>
        a.Port == b.Port
        && (a.Address.Equals(b.Address)
            || (a.AddressFamily == b.AddressFamily && (IsAny(a.Address) || IsAny(b.Address))));

    private static bool IsAny(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
}
