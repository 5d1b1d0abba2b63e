namespace Meridian.Topology.Yaml;

/// <summary>
/// A parsed YAML node with its 1-based position. Our own tree (built from YamlDotNet parser events) rather than
/// YamlDotNet's representation model, because that model throws on the first duplicate key and we want to report
/// every duplicate together with everything else.
/// </summary>
internal abstract class YNode(int line, int column)
{
    public int Line { get; } = line;
    public int Column { get; } = column;

    /// <summary>Short description used in "expected X, found Y" messages.</summary>
    public abstract string Describe { get; }
}
