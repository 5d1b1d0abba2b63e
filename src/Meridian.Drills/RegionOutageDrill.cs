using Meridian.Drills.Client;
using Meridian.Drills.Report;
using Meridian.Health;

namespace Meridian.Drills;

/// <summary>
/// The tutorial's step 6.2, measured: run the synthetic client, break the region at <see cref="DrillOptions.OutageAt"/>,
/// restore it at <see cref="DrillOptions.RestoreAt"/>, keep watching until the end, then build the report from what
/// the client saw and the health events Meridian recorded. The region is always restored, even on cancellation.
/// </summary>
public sealed class RegionOutageDrill(
    DrillOptions options,
    IOutageInjector injector,
    Func<CancellationToken, Task<IReadOnlyList<HealthEvent>>> healthEvents,
    TimeProvider time)
{
    public async Task<DrillReport> RunAsync(IProgress<string>? progress, CancellationToken token)
    {
        if (options.RestoreAt <= options.OutageAt || options.RestoreAt >= options.Duration)
        {
            throw new DrillException("the outage must start before it is restored, and be restored before the drill ends");
        }

        var startedAt = time.GetUtcNow();
        var start = time.GetTimestamp();
        var client = new SyntheticClient(options, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var running = client.RunAsync(start, stop.Token);
        TimeSpan outageAt = TimeSpan.Zero, restoreAt = TimeSpan.Zero;
        var injected = false;
        try
        {
            await Task.Delay(options.OutageAt, time, token);
            outageAt = time.GetElapsedTime(start);
            progress?.Report($"{outageAt.TotalSeconds,6:0.00}s  outage: {options.Region} ({options.Mode.ToString().ToLowerInvariant()})");
            injected = true;
            await injector.InjectAsync(options.Region, options.Mode, token);
            var untilRestore = options.RestoreAt - time.GetElapsedTime(start);
            await Task.Delay(untilRestore > TimeSpan.Zero ? untilRestore : TimeSpan.Zero, time, token);
        }
        finally
        {
            if (injected)
            {
                restoreAt = time.GetElapsedTime(start);
                progress?.Report($"{restoreAt.TotalSeconds,6:0.00}s  restore: {options.Region}");
                await injector.RestoreAsync(options.Region, CancellationToken.None);
            }
        }

        await running;
        progress?.Report($"{time.GetElapsedTime(start).TotalSeconds,6:0.00}s  done; collecting health events");
        var events = await healthEvents(token);
        return DrillAnalyzer.Analyze(options, startedAt, client.Samples, outageAt, restoreAt, events);
    }
}
