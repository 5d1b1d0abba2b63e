namespace Meridian.Database.Monitoring;

/// <summary>
/// One probe of one member. <see cref="WalPosition"/> is where its WAL ends: the primary's current insert position,
/// or what a replica has received (or replayed, whichever is further) — what would survive if it were promoted now.
/// </summary>
public sealed record MemberObservation(
    string Member,
    DateTimeOffset Time,
    bool Reachable,
    string? Error,
    bool InRecovery,
    int? Timeline,
    long? WalPosition,
    long? ReceiveLsn,
    long? ReplayLsn,
    IReadOnlyList<ReplicationLag> Replication)
{
    /// <summary>Reachable and accepting writes.</summary>
    public bool IsWritable => Reachable && !InRecovery;

    /// <summary>Reachable and streaming or replaying (a promotion candidate).</summary>
    public bool IsReplica => Reachable && InRecovery;

    public static MemberObservation Unreachable(string member, DateTimeOffset time, string error) =>
        new(member, time, false, error, false, null, null, null, null, []);

    public static MemberObservation Primary(string member, DateTimeOffset time, long lsn, int timeline = 1, IReadOnlyList<ReplicationLag>? replication = null) =>
        new(member, time, true, null, false, timeline, lsn, null, null, replication ?? []);

    public static MemberObservation Replica(string member, DateTimeOffset time, long receiveLsn, int timeline = 1) =>
        new(member, time, true, null, true, timeline, receiveLsn, receiveLsn, receiveLsn, []);
}
