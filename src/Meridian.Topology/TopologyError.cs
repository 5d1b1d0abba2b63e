namespace Meridian.Topology;

/// <summary>
/// One problem found in a topology file: where it is (file, 1-based line and column), which field
/// (<c>zones.mydomain.test.records[3].routing.weighted</c>) and what is wrong.
/// </summary>
public sealed record TopologyError(string File, int Line, int Column, string FieldPath, string Message)
{
    public override string ToString() =>
        FieldPath.Length == 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}:{Line}:{Column}: {FieldPath}: {Message}";
}
