using System.Net;

namespace Meridian.Topology.Model;

/// <summary>A region: a name (us-east-1), the address its services bind, and optionally where it is.</summary>
public sealed record RegionConfig(string Name, IPAddress Address, string? Continent, string? Country, SourceLocation Location);
