using Meridian.Drills.Data;
using Meridian.Topology.Model;

namespace Meridian.Cli.Commands;

/// <summary>
/// The drill's row writer, derived from the topology: rows go to the sample app the way users reach the region —
/// through its edge location with the distribution's alias as Host (so the edge fails over to the other region's
/// app, which writes through db-writer), else straight to the region's load balancer.
/// </summary>
internal static class RowDrillPlan
{
    public static RowDrillOptions? Create(TopologyConfig topology, string region, int rate, out string? why)
    {
        why = null;
        if (rate <= 0)
        {
            why = "--rows-rate 0";
            return null;
        }

        foreach (var location in topology.Edge.Locations.Where(l => l.Region == region && l.Listen.Count > 0))
        {
            var distribution = topology.Edge.Distributions.FirstOrDefault(d =>
                d.Aliases.Count > 0 && (d.Locations.Count == 0 || d.Locations.Contains(location.Name)));
            if (distribution is not null)
            {
                return new RowDrillOptions { Target = new Uri($"http://{location.Listen[0]}/"), Host = distribution.Aliases[0], Rate = rate };
            }
        }

        if (topology.LoadBalancers.FirstOrDefault(b => b.Region == region) is { } balancer)
        {
            return new RowDrillOptions { Target = new Uri($"http://{balancer.Listen}/"), Rate = rate };
        }

        why = $"no edge location or load balancer in {region} to reach the app through";
        return null;
    }
}
