using Meridian.Drills.Client;
using Meridian.Drills.Data;

namespace Meridian.Drills.Report;

/// <summary>
/// What a region-outage drill measured. Offsets count from the drill's start; the recovery figures count from the
/// outage (or the restore, for failback), which is what an RTO means.
/// </summary>
public sealed record DrillReport
{
    public required string Region { get; init; }
    public required DrillMode Mode { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required TimeSpan Duration { get; init; }
    public required TimeSpan OutageAt { get; init; }
    public required TimeSpan RestoreAt { get; init; }
    /// <summary>Outage → first checker location that marked the region's check unhealthy.</summary>
    public TimeSpan? FirstCheckFailure { get; init; }
    /// <summary>Outage → the region's check unhealthy (aggregated over checkers).</summary>
    public TimeSpan? RegionMarkedUnhealthy { get; init; }
    /// <summary>Outage → first DNS answer without the region.</summary>
    public TimeSpan? DnsFailover { get; init; }
    /// <summary>Restore → the region's check healthy again.</summary>
    public TimeSpan? RegionHealthyAgain { get; init; }
    /// <summary>Restore → first DNS answer with the region again.</summary>
    public TimeSpan? DnsFailback { get; init; }
    /// <summary>Whether DNS answered the region before the outage (otherwise failover figures mean little).</summary>
    public required bool BaselineAnsweredRegion { get; init; }
    public required IReadOnlyList<TimelineEntry> Timeline { get; init; }
    public required IReadOnlyList<PathSummary> Paths { get; init; }
    public required IReadOnlyList<ProbeSample> Samples { get; init; }
    /// <summary>The object writer's figures (object RPO, backlog at the outage); null when no storage was drilled.</summary>
    public ObjectTierReport? Objects { get; init; }
}

/// <summary>One moment of the drill worth naming.</summary>
public sealed record TimelineEntry(TimeSpan Offset, string Event, string Detail);

/// <summary>How one client path fared.</summary>
public sealed record PathSummary(
    string Path,
    int Requests,
    int Errors,
    int ErrorsDuringOutage,
    TimeSpan? FirstError,
    TimeSpan? LastError,
    double P50Ms,
    double P99Ms,
    IReadOnlyDictionary<string, int> AnsweredBy);
