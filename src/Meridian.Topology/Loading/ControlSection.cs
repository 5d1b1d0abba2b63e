using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary><c>control: { listen: ip:port }</c></summary>
internal sealed class ControlSection : ITopologySection
{
    private static readonly string[] Keys = ["listen"];

    public string Key => "control";

    public void Read(LoadContext ctx, YNode node, TopologyBuilder builder)
    {
        if (YamlReader.AsMapping(ctx, node, Key) is not { } m)
        {
            return;
        }
        var map = new MapReader(ctx, m, Key, Keys);
        if (map.String("listen") is not { } text)
        {
            return;
        }
        if (Addresses.TryParseEndpoint(text.Trim(), out var endpoint) is { } error)
        {
            ctx.Error(map.Get("listen")!, map.PathOf("listen"), error);
            return;
        }
        builder.Config = builder.Config with { Control = new ControlConfig(endpoint) };
    }
}
