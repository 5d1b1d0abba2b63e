using System.Net;
using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary><c>dns: { listen: [ip:port], max_udp_payload: 512..4096, tcp_idle_timeout }</c></summary>
internal sealed class DnsSection : ITopologySection
{
    private static readonly string[] Keys = ["listen", "max_udp_payload", "tcp_idle_timeout"];

    public string Key => "dns";

    public void Read(LoadContext ctx, YNode node, TopologyBuilder builder)
    {
        if (YamlReader.AsMapping(ctx, node, Key) is not { } m)
        {
            return;
        }
        var map = new MapReader(ctx, m, Key, Keys);
        var defaults = DnsServerConfig.Default;
        var listen = new List<IPEndPoint>();
        var items = map.List("listen");
        for (var i = 0; i < items.Count; i++)
        {
            var path = LoadContext.Index(map.PathOf("listen"), i);
            if (YamlReader.AsString(ctx, items[i], path) is not { } text)
            {
                continue;
            }
            if (Addresses.TryParseEndpoint(text.Trim(), out var endpoint) is { } error)
            {
                ctx.Error(items[i], path, error);
            }
            else if (listen.Contains(endpoint))
            {
                ctx.Error(items[i], path, $"duplicate listen endpoint {endpoint}");
            }
            else
            {
                listen.Add(endpoint);
            }
        }
        builder.Config = builder.Config with
        {
            Dns = new DnsServerConfig(
                listen.Count > 0 ? listen : defaults.Listen,
                map.Int("max_udp_payload", 512, 4096) ?? defaults.MaxUdpPayload,
                map.Duration("tcp_idle_timeout", TimeSpan.Zero, minExclusive: true) ?? defaults.TcpIdleTimeout),
        };
    }
}
