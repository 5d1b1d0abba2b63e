namespace Meridian.Edge;

/// <summary>A distribution as served: its name and resolved target.</summary>
internal sealed class DistributionRuntime(string name, OriginGroupRuntime target)
{
    public string Name { get; } = name;

    public OriginGroupRuntime Target { get; } = target;

    /// <summary>The distribution's configuration (cache behaviours, error caching); null in stage-only tests.</summary>
    public Meridian.Topology.Model.DistributionConfig? Config { get; init; }
}
