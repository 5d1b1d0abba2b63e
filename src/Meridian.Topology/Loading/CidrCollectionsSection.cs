using System.Net;
using System.Text.RegularExpressions;
using Meridian.Topology.Model;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary><c>cidr_collections: { name: { location: [CIDR, ...] } }</c> (Route53 IP-based routing).</summary>
internal sealed partial class CidrCollectionsSection : ITopologySection
{
    /// <summary>Route53: letters, digits, '-' and '_', at most 16 characters; "*" is the default location.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{1,16}$")]
    private static partial Regex LocationName();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex CollectionName();

    public string Key => "cidr_collections";

    public void Read(LoadContext ctx, YNode node, TopologyBuilder builder)
    {
        var collections = new List<CidrCollectionConfig>();
        foreach (var entry in NamedEntries.Read(ctx, node, Key))
        {
            if (!CollectionName().IsMatch(entry.Name))
            {
                ctx.Error(entry.KeyNode, entry.Path, $"collection names hold letters, digits, '-' and '_' (at most 64), found '{entry.Name}'");
            }
            var locations = new List<CidrLocationConfig>();
            foreach (var location in NamedEntries.Read(ctx, entry.Value, entry.Path))
            {
                if (location.Name == "*")
                {
                    ctx.Error(location.KeyNode, location.Path, "'*' is reserved for the default location of ip routing");
                }
                else if (!LocationName().IsMatch(location.Name))
                {
                    ctx.Error(location.KeyNode, location.Path,
                        $"location names hold letters, digits, '-' and '_', at most 16 characters, found '{location.Name}'");
                }
                var blocks = new List<IPNetwork>();
                var items = YamlReader.AsList(ctx, location.Value, location.Path);
                for (var i = 0; i < items.Count; i++)
                {
                    if (CidrReader.Read(ctx, items[i], LoadContext.Index(location.Path, i)) is { } net)
                    {
                        blocks.Add(net);
                    }
                }
                if (items.Count == 0)
                {
                    ctx.Error(location.Value, location.Path, "a location needs at least one CIDR block");
                }
                locations.Add(new(location.Name, blocks));
            }
            collections.Add(new(entry.Name, locations, ctx.Where(entry.KeyNode)));
        }
        builder.Config = builder.Config with { CidrCollections = collections };
    }
}
