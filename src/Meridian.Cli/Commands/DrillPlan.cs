using System.Diagnostics.CodeAnalysis;
using System.Net;
using Meridian.Drills;
using Meridian.Hosting.Control;
using Meridian.Topology.Model;
using Meridian.Topology.Validation;

namespace Meridian.Cli.Commands;

/// <summary>
/// Derives a drill from the topology: the DNS server, the names, the region's addresses and health checks, the
/// ports of its load balancer and of the edge, and a client subnet nearest the region (so DNS answers the region
/// before the outage).
/// </summary>
internal static class DrillPlan
{
    public static bool TryCreate(TopologyConfig topology, DrillArguments args, [NotNullWhen(true)] out DrillOptions? options, [NotNullWhen(false)] out string? error)
    {
        options = null;
        if (topology.FindRegion(args.Region) is not { } region)
        {
            error = $"--region: '{args.Region}' is not a region of {topology.SourceFile} (regions: {string.Join(", ", topology.Regions.Select(r => r.Name))})";
            return false;
        }

        if (!Enum.TryParse<DrillMode>(args.Mode, ignoreCase: true, out var mode))
        {
            error = $"--mode: '{args.Mode}' is not refuse or hang";
            return false;
        }

        if (!Durations.TryParse(args.Duration, out var duration) || !Durations.TryParse(args.OutageAt, out var outageAt) || !Durations.TryParse(args.RestoreAt, out var restoreAt))
        {
            error = "--duration, --outage-at and --restore-at take durations like 30s or 1500ms";
            return false;
        }

        if (args.Rate is < 1 or > 1000 || duration > TimeSpan.FromMinutes(30))
        {
            error = "--rate must be 1-1000 requests per second and --duration at most 30m (drills are bounded)";
            return false;
        }

        if (!ClientSubnet.TryParse(args.Client, out var client, out var clientError))
        {
            error = $"--client: {clientError}";
            return false;
        }

        if (topology.Zones.Count == 0 || topology.Dns.Listen.Count == 0)
        {
            error = $"{topology.SourceFile} has no zone or no DNS listener to drill against";
            return false;
        }

        var zone = topology.Zones[0];
        var balancers = topology.LoadBalancers.Where(b => b.Region == region.Name).ToArray();
        var addresses = balancers.Select(b => b.Listen.Address).Append(region.Address).Distinct().ToArray();
        var cdn = $"cdn.{zone.Name}";
        options = new DrillOptions
        {
            Region = region.Name,
            Mode = mode,
            Rate = args.Rate,
            Duration = duration,
            OutageAt = outageAt,
            RestoreAt = restoreAt,
            DnsServer = topology.Dns.Listen[0],
            AppName = $"app.{zone.Name}",
            CdnName = zone.Records.Any(r => r.Name == cdn) ? cdn : null,
            DirectPort = balancers.FirstOrDefault()?.Listen.Port ?? 80,
            EdgePort = topology.Edge.Locations.SelectMany(l => l.Listen).FirstOrDefault()?.Port ?? 80,
            ClientSubnet = client ?? NearestClient(topology, region.Name),
            RegionAddresses = addresses,
            // The region's app checks; database members share its address but fail over on their own (not the region's figures).
            RegionChecks = topology.HealthChecks
                .Where(h => h.Type != HealthCheckType.Postgres && IPAddress.TryParse(h.Host, out var a) && addresses.Contains(a))
                .Select(h => h.Name).ToArray(),
        };
        error = null;
        return true;
    }

    /// <summary>The most specific latency network whose nearest region is this one (null: the default entry).</summary>
    private static IPNetwork? NearestClient(TopologyConfig topology, string region) => topology.Latency.Entries
        .Where(e => e.Network.PrefixLength > 0 && e.RttMs.Count > 0 && e.RttMs.MinBy(r => r.Value).Key == region)
        .OrderByDescending(e => e.Network.PrefixLength)
        .Select(e => (IPNetwork?)e.Network)
        .FirstOrDefault();
}
