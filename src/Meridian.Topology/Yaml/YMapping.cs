namespace Meridian.Topology.Yaml;

/// <summary>A mapping that keeps every entry in order, duplicates included, so they can be reported.</summary>
internal sealed class YMapping(int line, int column) : YNode(line, column)
{
    public List<KeyValuePair<YNode, YNode>> Entries { get; } = [];

    public override string Describe => "a mapping";
}
