using Meridian.Topology.Loading;
using Meridian.Topology.Model;
using Meridian.Topology.Yaml;

namespace Meridian.Topology;

/// <summary>
/// Loads and validates a topology YAML file. Never throws for bad input: every problem is returned as a
/// <see cref="TopologyError"/> naming file, line, column and field path, all of them at once.
/// </summary>
public static class TopologyLoader
{
    public static TopologyLoadResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new TopologyLoadResult(null, [new TopologyError(path, 1, 1, "", $"cannot read the topology file: {ex.Message}")], []);
        }
        return LoadFromText(text, path);
    }

    /// <summary>Loads YAML text; <paramref name="fileName"/> names the file in errors and anchors relative paths.</summary>
    public static TopologyLoadResult LoadFromText(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);
        var fullPath = SafeFullPath(fileName);
        var ctx = new LoadContext(fileName, Path.GetDirectoryName(fullPath) ?? Directory.GetCurrentDirectory());
        var root = YamlTreeReader.Read(yaml, out var syntaxError);
        if (syntaxError is { } e)
        {
            ctx.Error(e.Line, e.Column, "", e.Message);
        }
        else if (root is null or YScalar { IsNull: true })
        {
            ctx.Error(1, 1, "", "the topology file is empty");
        }
        else if (YamlReader.AsMapping(ctx, root, "") is { } map)
        {
            var builder = new TopologyBuilder(fullPath);
            var sections = new MapReader(ctx, map, "", TopologySections.Keys);
            foreach (var section in TopologySections.All)
            {
                if (sections.Get(section.Key) is { } node)
                {
                    section.Read(ctx, node, builder);
                }
            }
            return Result(ctx, builder.Config);
        }
        return Result(ctx, null);
    }

    private static TopologyLoadResult Result(LoadContext ctx, TopologyConfig? config) =>
        new(config, Sorted(ctx.Errors), Sorted(ctx.Warnings));

    /// <summary>Sections are read in dependency order, not file order; sort so output follows the file.</summary>
    private static List<TopologyError> Sorted(IReadOnlyList<TopologyError> list) =>
        list.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList();

    private static string SafeFullPath(string fileName)
    {
        try
        {
            return Path.GetFullPath(fileName);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return fileName;
        }
    }
}
