using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>Reads a name-keyed mapping, reporting non-scalar and duplicate names.</summary>
internal static class NamedEntries
{
    public static IReadOnlyList<NamedEntry> Read(LoadContext ctx, YNode node, string path, Func<string, string>? normalize = null)
    {
        if (node is YScalar { IsNull: true })
        {
            return [];
        }
        if (YamlReader.AsMapping(ctx, node, path) is not { } map)
        {
            return [];
        }
        var result = new List<NamedEntry>();
        var seen = new Dictionary<string, YNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Entries)
        {
            if (keyNode is not YScalar { IsNull: false } key)
            {
                ctx.Error(keyNode, path, $"names must be plain values, found {keyNode.Describe}");
                continue;
            }
            var name = normalize is null ? key.Value : normalize(key.Value);
            var entryPath = LoadContext.Join(path, key.Value);
            if (seen.TryGetValue(name, out var first))
            {
                ctx.Error(key, entryPath, $"duplicate name '{key.Value}' (first at {LoadContext.Where(first, key)})");
                continue;
            }
            seen[name] = key;
            result.Add(new(name, key, value, entryPath));
        }
        return result;
    }
}
