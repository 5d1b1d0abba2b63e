using System.Net;
using Meridian.Topology.Model;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary><c>regions: { name: { address, continent?, country? } }</c></summary>
internal sealed class RegionsSection : ITopologySection
{
    private static readonly string[] Keys = ["address", "continent", "country"];

    public string Key => "regions";

    public void Read(LoadContext ctx, YNode node, TopologyBuilder builder)
    {
        var regions = new List<RegionConfig>();
        foreach (var entry in NamedEntries.Read(ctx, node, Key))
        {
            if (YamlReader.AsMapping(ctx, entry.Value, entry.Path) is not { } m)
            {
                continue;
            }
            var map = new MapReader(ctx, m, entry.Path, Keys);
            var address = IPAddress.None;
            if (map.RequiredString("address") is { } text)
            {
                if (Validation.Addresses.TryParseIp(text, out var ip))
                {
                    address = ip;
                }
                else
                {
                    ctx.Error(map.Get("address")!, map.PathOf("address"), $"expected an IP address, found '{text}'");
                }
            }
            var (continent, country, _) = GeoFields.Read(map);
            // Added even when invalid so references to it do not cascade into more errors.
            regions.Add(new(entry.Name, address, continent, country, ctx.Where(entry.KeyNode)));
        }
        builder.Config = builder.Config with { Regions = regions };
    }
}
