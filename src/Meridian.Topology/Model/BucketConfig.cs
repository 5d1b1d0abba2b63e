namespace Meridian.Topology.Model;

/// <summary>A bucket declared in the topology.</summary>
public sealed record BucketConfig
{
    public required string Name { get; init; }
    /// <summary>Turns versioning on at start (S3: once enabled it can only be suspended, never turned off).</summary>
    public bool Versioning { get; init; }
    /// <summary>Anonymous GET/HEAD of objects and listing are allowed (S3: a public-read bucket policy).</summary>
    public bool PublicRead { get; init; }
    /// <summary>Cross-region replication rules (S3 CRR), highest priority first when rules overlap.</summary>
    public IReadOnlyList<ReplicationRuleConfig> Replication { get; init; } = [];
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
