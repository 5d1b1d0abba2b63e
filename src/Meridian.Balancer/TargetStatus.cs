using Meridian.Topology.Model;

namespace Meridian.Balancer;

/// <summary>A point-in-time view of one target.</summary>
public sealed record TargetStatus(
    TargetConfig Target,
    TargetState State,
    string Reason,
    DateTimeOffset LastChange,
    int InFlight);
