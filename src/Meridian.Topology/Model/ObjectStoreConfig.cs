using System.Net;

namespace Meridian.Topology.Model;

/// <summary>One region's object store: an S3 endpoint on <see cref="Listen"/> keeping its objects under <see cref="DataDirectory"/>.</summary>
public sealed record ObjectStoreConfig
{
    public required string Name { get; init; }
    /// <summary>The region the store serves; also the SigV4 signing region clients must use.</summary>
    public required string Region { get; init; }
    public required IPEndPoint Listen { get; init; }
    /// <summary>Absolute path (relative paths in the file resolve against the topology file's folder).</summary>
    public required string DataDirectory { get; init; }
    /// <summary>Buckets created at start (more may be created through the API).</summary>
    public IReadOnlyList<BucketConfig> Buckets { get; init; } = [];
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
