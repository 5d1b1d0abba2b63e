namespace Meridian.Storage.Replication;

/// <summary>
/// Where a rule's replicas go. Failures are exceptions: <see cref="ReplicationErrors.IsPermanent"/> tells retrying
/// (destination down, 5xx, timeout) from giving up (access denied, no such bucket, bad request).
/// </summary>
internal interface IReplicationDestination : IDisposable
{
    /// <summary>Writes a copy of a version: body, content headers, user metadata, tags, the source's version id and time.</summary>
    Task PutAsync(ReplicaObject replica, Stream body, CancellationToken token);

    Task PutDeleteMarkerAsync(string key, string sourceVersionId, DateTimeOffset lastModified, CancellationToken token);

    /// <summary>Replaces the tags of the replica of a version, unless they are already equal (which ends two-way echoes).</summary>
    Task SyncTagsAsync(string key, string sourceVersionId, IReadOnlyDictionary<string, string> tags, CancellationToken token);
}
