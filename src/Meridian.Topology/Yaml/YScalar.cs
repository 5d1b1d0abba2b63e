namespace Meridian.Topology.Yaml;

internal sealed class YScalar(int line, int column, string value, bool isPlain) : YNode(line, column)
{
    public string Value { get; } = value;

    /// <summary>Unquoted: only plain scalars can mean null, so <c>"null"</c> stays a string.</summary>
    public bool IsPlain { get; } = isPlain;

    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Describe => IsNull ? "null" : $"'{Value}'";
}
