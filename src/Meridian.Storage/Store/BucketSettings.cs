namespace Meridian.Storage.Store;

/// <summary>A bucket's durable settings (bucket.json): what PutBucketVersioning/Replication changed.</summary>
internal sealed record BucketSettings
{
    public required string Name { get; init; }
    public DateTimeOffset Created { get; init; }
    public VersioningStatus Versioning { get; init; }
    public bool PublicRead { get; init; }
    /// <summary>The ReplicationConfiguration XML as accepted by PutBucketReplication, returned verbatim.</summary>
    public string? ReplicationXml { get; init; }
}
