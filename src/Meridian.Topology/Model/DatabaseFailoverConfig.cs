using Meridian.Topology.Validation;

namespace Meridian.Topology.Model;

/// <summary>When Meridian promotes a replica (the tutorial's "automate with Lambda" step).</summary>
public sealed record DatabaseFailoverConfig
{
    public static readonly DatabaseFailoverConfig Default = new();

    /// <summary>RPO guard: no promotion when the best replica is further behind than this (bytes of WAL).</summary>
    public long MaxLagOnFailover { get; init; } = ByteSizes.MB;
    /// <summary>How long the primary must be unhealthy before a replica is promoted.</summary>
    public TimeSpan UnhealthyFor { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>How often every member is probed.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>False: monitor and report only; promotions happen only by `meridian db switchover`.</summary>
    public bool Automatic { get; init; } = true;
}
