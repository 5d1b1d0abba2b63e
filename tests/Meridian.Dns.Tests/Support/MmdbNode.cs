namespace Meridian.Dns.Tests.Support;

/// <summary>
/// One node of the MMDB binary search tree while it is built: each side (0 = bit clear, 1 = bit set) is either a
/// child node, a data value, or empty.
/// </summary>
internal sealed class MmdbNode
{
    public MmdbNode?[] Children { get; } = new MmdbNode?[2];

    public object?[] Values { get; } = new object?[2];

    /// <summary>The child on <paramref name="side"/>, created when missing; a value there is pushed down to both halves.</summary>
    public MmdbNode Descend(int side)
    {
        if (Children[side] is { } existing)
        {
            return existing;
        }

        var child = new MmdbNode();
        if (Values[side] is { } inherited)
        {
            child.Values[0] = inherited;
            child.Values[1] = inherited;
            Values[side] = null;
        }

        Children[side] = child;
        return child;
    }

    public void SetValue(int side, object value)
    {
        Children[side] = null;
        Values[side] = value;
    }
}
