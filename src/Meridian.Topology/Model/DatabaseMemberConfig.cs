using System.Net;

namespace Meridian.Topology.Model;

/// <summary>One PostgreSQL server of a cluster: where it runs, where its data lives, and how it replicates.</summary>
public sealed record DatabaseMemberConfig
{
    public required string Name { get; init; }
    public required string Region { get; init; }
    public required IPEndPoint Listen { get; init; }
    /// <summary>Absolute data directory (relative paths in the file resolve against the topology file's folder).</summary>
    public required string DataDir { get; init; }
    public DatabaseMemberRole InitialRole { get; init; } = DatabaseMemberRole.Replica;
    /// <summary>A synchronous standby: the primary waits for it to flush each commit (RPO 0 while it is up).</summary>
    public bool Synchronous { get; init; }
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
