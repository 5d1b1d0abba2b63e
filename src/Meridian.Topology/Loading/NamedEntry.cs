using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>One entry of a mapping keyed by user-chosen names (regions, health checks, zones).</summary>
internal sealed record NamedEntry(string Name, YScalar KeyNode, YNode Value, string Path);
