using Meridian.Storage.Events;

namespace Meridian.Storage.Replication;

/// <summary>
/// One owed replication: a version (or delete marker, or tag change) of a key, to one rule's destination. Persisted
/// in the journal before the client's write is acknowledged; <see cref="Sequence"/> is the source store's and
/// orders items of the same key.
/// </summary>
internal sealed record ReplicationWorkItem
{
    public required long Id { get; init; }
    public required ObjectEventKind Kind { get; init; }
    public required string Bucket { get; init; }
    public required string Key { get; init; }
    public required string VersionId { get; init; }
    public required long Sequence { get; init; }
    public required string RuleId { get; init; }
    public long Size { get; init; }
    /// <summary>When the source committed the change: replication latency runs from here to the destination's ack.</summary>
    public DateTimeOffset CommittedAt { get; init; }
}
