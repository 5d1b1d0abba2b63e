namespace Meridian.Storage.Replication;

/// <summary>A rule whose destination cannot be resolved: every item fails for good, with the reason.</summary>
internal sealed class MissingDestination(string reason) : IReplicationDestination
{
    public Task PutAsync(ReplicaObject replica, Stream body, CancellationToken token) => throw Fail();

    public Task PutDeleteMarkerAsync(string key, string sourceVersionId, DateTimeOffset lastModified, CancellationToken token) => throw Fail();

    public Task SyncTagsAsync(string key, string sourceVersionId, IReadOnlyDictionary<string, string> tags, CancellationToken token) => throw Fail();

    private ReplicationDestinationException Fail() => new(reason, permanent: true);

    public void Dispose()
    {
    }
}
