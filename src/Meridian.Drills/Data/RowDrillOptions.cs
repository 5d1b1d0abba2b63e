namespace Meridian.Drills.Data;

/// <summary>
/// The database side of a region-outage drill: numbered rows written through the sample app
/// (<c>POST /api/drill/{run}/{n}</c>, which inserts through <c>db-writer</c> and answers 201 only after commit) at
/// <see cref="Rate"/> per second, then read back through the writer (<c>GET /api/drill/{run}</c>) after the restore.
/// </summary>
public sealed record RowDrillOptions
{
    /// <summary>The app as users reach it: the region's edge location or load balancer, e.g. http://127.0.0.21:8080/.</summary>
    public required Uri Target { get; init; }

    /// <summary>The Host header to send (the distribution's alias through the edge); null: the target's.</summary>
    public string? Host { get; init; }

    public int Rate { get; init; } = 10;

    /// <summary>Runs are <c>{Prefix}{timestamp}-{id}</c>, so drills never mix their rows.</summary>
    public string Prefix { get; init; } = "drill-";

    /// <summary>How long after the restore the writer keeps trying to read the run back (bounded polling).</summary>
    public TimeSpan RecoveryWait { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Replication lag per replica at the outage, when Meridian can tell (GET /v1/db/status); null: not known.</summary>
    public Func<CancellationToken, Task<IReadOnlyList<ReplicaLag>?>>? Lag { get; init; }
}
