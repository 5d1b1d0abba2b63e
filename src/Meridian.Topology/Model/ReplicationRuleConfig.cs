namespace Meridian.Topology.Model;

/// <summary>
/// One S3 replication rule (ReplicationConfiguration/Rule): which objects (prefix and tag filter) go to which
/// destination bucket, in another store of this topology or any S3 endpoint. Read from the file by the replication
/// part; the object store itself only stores rules set through PutBucketReplication.
/// </summary>
public sealed record ReplicationRuleConfig
{
    public required string Id { get; init; }
    public bool Enabled { get; init; } = true;
    /// <summary>S3: the higher number wins when two rules match the same object.</summary>
    public int Priority { get; init; }
    public string Prefix { get; init; } = "";
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
    public required string DestinationBucket { get; init; }
    /// <summary>A store of this topology holding the destination bucket, or null with <see cref="DestinationEndpoint"/>.</summary>
    public string? DestinationStore { get; init; }
    /// <summary>Any S3 endpoint (AWS, MinIO, Ceph) when the destination is outside the topology.</summary>
    public Uri? DestinationEndpoint { get; init; }
    public bool DeleteMarkerReplication { get; init; }
    /// <summary>SigV4 signing region of <see cref="DestinationEndpoint"/> (a topology store signs with its own region).</summary>
    public string? DestinationRegion { get; init; }
    /// <summary>Access key for <see cref="DestinationEndpoint"/>; topology stores use the topology's credentials.</summary>
    public StorageCredentialConfig? DestinationCredentials { get; init; }
    /// <summary>Beyond S3: a GET of a key missing in the destination bucket is answered from this (source) bucket.</summary>
    public bool ProxyMissingReads { get; init; }
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
