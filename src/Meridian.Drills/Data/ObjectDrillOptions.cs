namespace Meridian.Drills.Data;

/// <summary>
/// The object-storage side of a region-outage drill: the drilled region's bucket (where the synthetic writer puts
/// objects, as the region's app would) and the surviving region's bucket that replication keeps in sync.
/// Bounded: <see cref="Rate"/> PUTs per second of <see cref="ObjectBytes"/> each, for the drill's duration.
/// </summary>
public sealed record ObjectDrillOptions
{
    public required Uri SourceEndpoint { get; init; }
    /// <summary>The SigV4 signing region of the source store.</summary>
    public required string SourceRegion { get; init; }
    public required string SourceBucket { get; init; }
    public required Uri ReplicaEndpoint { get; init; }
    public required string ReplicaRegion { get; init; }
    public required string ReplicaBucket { get; init; }
    public required string AccessKey { get; init; }
    public required string SecretKey { get; init; }
    public int Rate { get; init; } = 10;
    public int ObjectBytes { get; init; } = 1024;
    /// <summary>Keys are <c>{Prefix}{run id}/{n:D6}</c>, so drills never overwrite each other or real objects.</summary>
    public string Prefix { get; init; } = "meridian-drill/";
    /// <summary>
    /// How long after the restore the writer waits for replication to deliver what was owed (bounded polling):
    /// the "missing after recovery" figure is read then.
    /// </summary>
    public TimeSpan RecoveryWait { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>The source → replica backlog at the outage (operations and bytes pending), when Meridian can tell.</summary>
    public Func<CancellationToken, Task<ReplicationBacklog?>>? Backlog { get; init; }
}
