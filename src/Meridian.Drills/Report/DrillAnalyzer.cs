using Meridian.Drills.Client;
using Meridian.Health;

namespace Meridian.Drills.Report;

/// <summary>Turns the client's samples and the health events into the drill's timeline and figures.</summary>
internal static class DrillAnalyzer
{
    public static DrillReport Analyze(DrillOptions options, DateTimeOffset startedAt, IReadOnlyList<ProbeSample> samples,
        TimeSpan outageAt, TimeSpan restoreAt, IReadOnlyList<HealthEvent> events)
    {
        var regionEvents = events
            .Where(e => options.RegionChecks.Contains(e.Check))
            .Select(e => (Offset: e.Time - startedAt, Event: e))
            .Where(e => e.Offset >= TimeSpan.Zero)
            .OrderBy(e => e.Offset)
            .ToArray();

        TimeSpan? Since(TimeSpan from, TimeSpan? at) => at is { } t ? t - from : null;
        TimeSpan? FirstEvent(TimeSpan after, bool aggregated, HealthStatus status) => regionEvents
            .Where(e => e.Offset >= after && (e.Event.Location is null) == aggregated && e.Event.New == status)
            .Select(e => (TimeSpan?)e.Offset).FirstOrDefault();

        var dns = samples.Where(s => s.Path == "dns").ToArray();
        var firstCheckFailure = FirstEvent(outageAt, aggregated: false, HealthStatus.Unhealthy);
        var regionUnhealthy = FirstEvent(outageAt, aggregated: true, HealthStatus.Unhealthy);
        var dnsFailover = dns.FirstOrDefault(s => s.Offset >= outageAt && s.Ok && s.Region != options.Region)?.Offset;
        var regionHealthy = FirstEvent(restoreAt, aggregated: true, HealthStatus.Healthy);
        var dnsFailback = dns.FirstOrDefault(s => s.Offset >= restoreAt && s.Ok && s.Region == options.Region)?.Offset;

        var timeline = new List<TimelineEntry>
        {
            new(TimeSpan.Zero, "drill start", $"client: {options.Rate} req/s per path, DNS every {options.DnsInterval.TotalMilliseconds:0} ms"),
            new(outageAt, "outage start", $"{options.Region} ({options.Mode.ToString().ToLowerInvariant()})"),
            new(restoreAt, "restore", options.Region),
        };
        Add(timeline, firstCheckFailure, "first checker saw the region unhealthy", regionEvents, outageAt, aggregated: false);
        Add(timeline, regionUnhealthy, "region marked unhealthy", regionEvents, outageAt, aggregated: true);
        Add(timeline, regionHealthy, "region healthy again", regionEvents, restoreAt, aggregated: true);
        if (dnsFailover is { } failover)
        {
            timeline.Add(new(failover, "first DNS answer without the region", dns.First(s => s.Offset == failover).Detail));
        }

        if (dnsFailback is { } failback)
        {
            timeline.Add(new(failback, "failback: DNS answers the region again", dns.First(s => s.Offset == failback).Detail));
        }

        foreach (var path in samples.Select(s => s.Path).Where(p => p != "dns").Distinct())
        {
            var errors = samples.Where(s => s.Path == path && !s.Ok).ToArray();
            if (errors.Length > 0)
            {
                timeline.Add(new(errors[0].Offset, $"first {path} error", errors[0].Detail));
                timeline.Add(new(errors[^1].Offset, $"last {path} error", $"{errors.Length} errors in all"));
            }
        }

        return new DrillReport
        {
            Region = options.Region,
            Mode = options.Mode,
            StartedAt = startedAt,
            Duration = options.Duration,
            OutageAt = outageAt,
            RestoreAt = restoreAt,
            FirstCheckFailure = Since(outageAt, firstCheckFailure),
            RegionMarkedUnhealthy = Since(outageAt, regionUnhealthy),
            DnsFailover = Since(outageAt, dnsFailover),
            RegionHealthyAgain = Since(restoreAt, regionHealthy),
            DnsFailback = Since(restoreAt, dnsFailback),
            BaselineAnsweredRegion = dns.Any(s => s.Offset < outageAt && s.Region == options.Region),
            Timeline = timeline.OrderBy(t => t.Offset).ToArray(),
            Paths = samples.GroupBy(s => s.Path).OrderBy(g => g.Key).Select(g => Summarize(g.Key, g.ToArray(), outageAt, restoreAt)).ToArray(),
            Samples = samples,
        };
    }

    private static void Add(List<TimelineEntry> timeline, TimeSpan? at, string name,
        (TimeSpan Offset, HealthEvent Event)[] events, TimeSpan after, bool aggregated)
    {
        if (at is not { } offset)
        {
            return;
        }

        var e = events.First(x => x.Offset == offset && x.Offset >= after && (x.Event.Location is null) == aggregated).Event;
        timeline.Add(new(offset, name, $"{e.Check}{(e.Location is null ? "" : $" @ {e.Location}")}: {e.Reason}"));
    }

    private static PathSummary Summarize(string path, ProbeSample[] samples, TimeSpan outageAt, TimeSpan restoreAt)
    {
        var errors = samples.Where(s => !s.Ok).ToArray();
        var latencies = samples.Where(s => s.Ok).Select(s => s.Latency.TotalMilliseconds).Order().ToArray();
        return new PathSummary(
            path,
            samples.Length,
            errors.Length,
            errors.Count(s => s.Offset >= outageAt && s.Offset < restoreAt),
            errors.FirstOrDefault()?.Offset,
            errors.LastOrDefault()?.Offset,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            samples.Where(s => s.Ok).GroupBy(s => s.Region ?? "?").ToDictionary(g => g.Key, g => g.Count()));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
