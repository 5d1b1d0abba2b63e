using Meridian.Topology.Model;

namespace Meridian.Topology.Loading;

/// <summary>
/// The topology under construction. Sections run in dependency order (see <see cref="TopologySections"/>), so a
/// section can resolve references against the ones read before it.
/// </summary>
internal sealed class TopologyBuilder(string sourceFile)
{
    public TopologyConfig Config { get; set; } = new() { SourceFile = sourceFile };

    /// <summary>Listen endpoints claimed by load balancers (and later sections), with their field and line.</summary>
    public List<ListenClaim> Listeners { get; } = [];

    public bool HasRegion(string name) => Config.Regions.Any(r => r.Name == name);

    public bool HasHealthCheck(string name) => Config.HealthChecks.Any(h => h.Name == name);
}
