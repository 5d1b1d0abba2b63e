using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>
/// One top-level section of the topology file. Adding a section (load_balancers, edge, ...) is one class
/// implementing this plus one line in <see cref="TopologySections"/>.
/// </summary>
internal interface ITopologySection
{
    /// <summary>The top-level key, e.g. <c>health_checks</c>.</summary>
    string Key { get; }

    /// <summary>Reads the section into <paramref name="builder"/>, reporting every problem to <paramref name="ctx"/>.</summary>
    void Read(LoadContext ctx, YNode node, TopologyBuilder builder);
}
