namespace Meridian.Topology.Model;

/// <summary>Where a configuration element was declared, so runtime errors can name file, line and column.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public static readonly SourceLocation None = new("<none>", 0, 0);

    public override string ToString() => $"{File}:{Line}:{Column}";
}
