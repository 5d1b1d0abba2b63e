using System.Collections.Frozen;
using Meridian.Topology.Model;

namespace Meridian.Edge;

/// <summary>
/// An immutable routing snapshot: for each location, Host alias (case-insensitive) → distribution. Replaced as a
/// whole on reload, so a request sees one consistent configuration.
/// </summary>
internal sealed class EdgeRoutes
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, DistributionRuntime>> _byLocation;

    private EdgeRoutes(FrozenDictionary<string, FrozenDictionary<string, DistributionRuntime>> byLocation) => _byLocation = byLocation;

    public static EdgeRoutes Build(EdgeConfig config, Func<string, OriginConfig, OriginRuntime> origin)
    {
        var distributions = new List<(DistributionConfig Config, DistributionRuntime Runtime)>();
        foreach (var distribution in config.Distributions)
        {
            var targets = new Dictionary<string, OriginGroupRuntime>(StringComparer.Ordinal);
            foreach (var name in distribution.Behaviors.Select(b => b.Target).Prepend(distribution.Target).Distinct(StringComparer.Ordinal))
            {
                targets[name] = ResolveTarget(distribution, name, origin);
            }

            var runtime = new DistributionRuntime(distribution.Name, targets[distribution.Target]) { Config = distribution, Targets = targets };
            distributions.Add((distribution, runtime));
        }

        var byLocation = new Dictionary<string, FrozenDictionary<string, DistributionRuntime>>(StringComparer.Ordinal);
        foreach (var location in config.Locations)
        {
            var hosts = new Dictionary<string, DistributionRuntime>(StringComparer.OrdinalIgnoreCase);
            foreach (var (distribution, runtime) in distributions)
            {
                if (distribution.Locations.Count > 0 && !distribution.Locations.Contains(location.Name, StringComparer.Ordinal))
                {
                    continue;
                }

                foreach (var alias in distribution.Aliases)
                {
                    // First distribution wins on a duplicate alias; the topology validator reports duplicates.
                    hosts.TryAdd(NormalizeHost(alias), runtime);
                }
            }

            byLocation[location.Name] = hosts.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        }

        return new EdgeRoutes(byLocation.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public DistributionRuntime? Match(string location, string host) =>
        _byLocation.TryGetValue(location, out var hosts) && hosts.TryGetValue(NormalizeHost(host), out var distribution)
            ? distribution
            : null;

    private static string NormalizeHost(string host) => host.TrimEnd('.');

    private static OriginGroupRuntime ResolveTarget(DistributionConfig distribution, string target, Func<string, OriginConfig, OriginRuntime> origin)
    {
        OriginRuntime Origin(string name, string path) =>
            distribution.Origins.FirstOrDefault(o => o.Name == name) is { } found
                ? origin(distribution.Name, found)
                : throw new InvalidOperationException(
                    $"edge.distributions.{distribution.Name}.{path}: no origin named '{name}' in this distribution");

        if (distribution.OriginGroups.FirstOrDefault(g => g.Name == target) is { } group)
        {
            var members = group.Members.Select(m => Origin(m, $"originGroups.{group.Name}.members")).ToArray();
            if (members.Length == 0)
            {
                throw new InvalidOperationException($"edge.distributions.{distribution.Name}.originGroups.{group.Name}.members: empty");
            }

            var failoverOn = (group.FailoverOn.Count > 0 ? group.FailoverOn : OriginGroupConfig.DefaultFailoverStatusCodes).ToFrozenSet();
            return new OriginGroupRuntime(group.Name, members, failoverOn);
        }

        var single = Origin(target, "target");
        return new OriginGroupRuntime(single.Name, [single], OriginGroupConfig.DefaultFailoverStatusCodes.ToFrozenSet());
    }
}
