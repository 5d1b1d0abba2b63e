namespace Meridian.Edge;

/// <summary>A distribution as served: its name, its default target and the targets of its cache behaviours.</summary>
internal sealed class DistributionRuntime(string name, OriginGroupRuntime target)
{
    public string Name { get; } = name;

    /// <summary>The distribution's default target (its "*" behaviour's unless a behaviour names another).</summary>
    public OriginGroupRuntime Target { get; } = target;

    /// <summary>Every target a behaviour names (origin or origin group name → runtime), the default one included.</summary>
    public IReadOnlyDictionary<string, OriginGroupRuntime> Targets { get; init; } = new Dictionary<string, OriginGroupRuntime>();

    /// <summary>The distribution's configuration (cache behaviours, error caching); null in stage-only tests.</summary>
    public Meridian.Topology.Model.DistributionConfig? Config { get; init; }

    /// <summary>The runtime of a behaviour's target; the default target for an unknown name.</summary>
    public OriginGroupRuntime TargetFor(string name) => Targets.TryGetValue(name, out var target) ? target : Target;
}
