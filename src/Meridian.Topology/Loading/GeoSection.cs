using Meridian.Topology.Model;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary><c>geo: { networks: [ { network, continent?, country?, subdivision? } ], maxmind_db? }</c></summary>
internal sealed class GeoSection : ITopologySection
{
    private static readonly string[] Keys = ["networks", "maxmind_db"];
    private static readonly string[] NetworkKeys = ["network", "continent", "country", "subdivision"];

    public string Key => "geo";

    public void Read(LoadContext ctx, YNode node, TopologyBuilder builder)
    {
        if (YamlReader.AsMapping(ctx, node, Key) is not { } m)
        {
            return;
        }
        var map = new MapReader(ctx, m, Key, Keys);
        var entries = new List<GeoEntry>();
        var items = map.List("networks");
        for (var i = 0; i < items.Count; i++)
        {
            var path = LoadContext.Index(map.PathOf("networks"), i);
            if (YamlReader.AsMapping(ctx, items[i], path) is not { } em)
            {
                continue;
            }
            var entry = new MapReader(ctx, em, path, NetworkKeys);
            var network = entry.Required("network") is { } n ? CidrReader.Read(ctx, n, entry.PathOf("network")) : null;
            var (continent, country, subdivision) = GeoFields.Read(entry);
            if (continent is null && country is null && entry.Get("continent") is null && entry.Get("country") is null)
            {
                ctx.Error(em, path, "a geo network needs a continent or a country");
            }
            if (network is { } ok)
            {
                entries.Add(new(ok, continent, country, subdivision, ctx.Where(em)));
            }
        }
        builder.Config = builder.Config with { Geo = new GeoConfig(entries, ReadDatabase(map)) };
    }

    private static string? ReadDatabase(MapReader map)
    {
        if (map.String("maxmind_db") is not { } raw)
        {
            return null;
        }
        string full;
        try
        {
            full = Path.GetFullPath(raw, map.Context.BaseDirectory);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            map.Context.Error(map.Get("maxmind_db")!, map.PathOf("maxmind_db"), $"invalid path '{raw}'");
            return null;
        }
        if (!File.Exists(full))
        {
            map.Context.Error(map.Get("maxmind_db")!, map.PathOf("maxmind_db"), $"MaxMind database not found: {full}");
        }
        return full;
    }
}
