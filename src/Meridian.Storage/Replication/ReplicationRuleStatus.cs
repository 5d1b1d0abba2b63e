namespace Meridian.Storage.Replication;

/// <summary>
/// One rule's S3 RTC-style metrics: work owed (operations and bytes), done, failed for good, and replication latency
/// (source commit to destination acknowledgement) over the last <see cref="ReplicationMetrics.Window"/> replications.
/// </summary>
public sealed record ReplicationRuleStatus(
    string Store,
    string Bucket,
    string Rule,
    string Destination,
    long OperationsPending,
    long BytesPending,
    long Completed,
    long Failed,
    double? LatencyP50Ms,
    double? LatencyP99Ms,
    double? LatencyMaxMs,
    string? LastError);
