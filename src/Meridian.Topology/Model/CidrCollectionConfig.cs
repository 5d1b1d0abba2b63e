using System.Net;

namespace Meridian.Topology.Model;

/// <summary>A Route53 CIDR collection: named locations, each a list of client networks (for IP-based routing).</summary>
public sealed record CidrCollectionConfig(string Name, IReadOnlyList<CidrLocationConfig> Locations, SourceLocation Location);

public sealed record CidrLocationConfig(string Name, IReadOnlyList<IPNetwork> Blocks);
