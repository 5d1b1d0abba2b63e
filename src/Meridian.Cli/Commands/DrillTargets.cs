using Meridian.Drills.Report;

namespace Meridian.Cli.Commands;

/// <summary>Compares a drill's figures with the targets given on the command line.</summary>
internal static class DrillTargets
{
    public static IEnumerable<string> Check(DrillReport report, TimeSpan? maxDnsFailover, int? maxEdgeErrors, int? maxDirectErrors, int? maxObjectRpo = null)
    {
        if (maxObjectRpo is { } rpo && report.Objects is { } objects && objects.MissingInSurvivorDuringOutage > rpo)
        {
            yield return $"{objects.MissingInSurvivorDuringOutage} objects acknowledged before the outage missing in the surviving region > {rpo}";
        }

        if (maxDnsFailover is { } dns && (report.DnsFailover is not { } failover || failover > dns))
        {
            yield return $"DNS failover {(report.DnsFailover is { } f ? $"{f.TotalSeconds:0.00} s" : "not observed")} > {dns.TotalSeconds:0.00} s";
        }

        foreach (var (path, max) in new[] { ("edge", maxEdgeErrors), ("direct", maxDirectErrors) })
        {
            if (max is { } limit && report.Paths.FirstOrDefault(p => p.Path == path) is { } summary && summary.Errors > limit)
            {
                yield return $"{summary.Errors} failed requests through {path} > {limit}";
            }
        }
    }
}
