namespace Meridian.Database.Monitoring;

/// <summary>
/// One row of the primary's pg_stat_replication: how far a replica has written, flushed and replayed the primary's WAL,
/// in bytes and seconds. Seconds are 0 when the byte lag is 0 (an idle, caught-up replica), not the time since the
/// last transaction; null when the server has no measurement yet.
/// </summary>
public sealed record ReplicationLag(
    string Member,
    string State,
    string SyncState,
    long WriteLagBytes,
    long FlushLagBytes,
    long ReplayLagBytes,
    double? WriteLagSeconds,
    double? FlushLagSeconds,
    double? ReplayLagSeconds);
