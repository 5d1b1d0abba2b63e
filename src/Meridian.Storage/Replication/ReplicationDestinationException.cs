namespace Meridian.Storage.Replication;

/// <summary>A destination failure that is not an SDK exception (the in-memory test destination throws these).</summary>
internal sealed class ReplicationDestinationException(string message, bool permanent) : Exception(message)
{
    public bool Permanent { get; } = permanent;
}
