using Meridian.Topology.Model;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>A record read from the file plus the nodes that set-level checks point their errors at.</summary>
internal sealed record RecordDraft(RecordConfig Config, YMapping Node, string Path)
{
    /// <summary>False when name or type was invalid: the record is skipped by set-level checks to avoid noise.</summary>
    public bool Complete { get; init; }
    public YNode? SetIdNode { get; init; }
    public YNode? RoutingNode { get; init; }
    public YNode? ValuesNode { get; init; }
    public YNode? AliasTargetNode { get; init; }

    public YNode NodeOr(YNode? node) => node ?? Node;
}
