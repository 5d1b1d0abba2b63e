using Meridian.Drills.Client;
using Meridian.Drills.Data;
using Meridian.Drills.Report;
using Meridian.Health;

namespace Meridian.Drills;

/// <summary>
/// The tutorial's step 6.2, measured: run the synthetic client, break the region at <see cref="DrillOptions.OutageAt"/>,
/// restore it at <see cref="DrillOptions.RestoreAt"/>, keep watching until the end, then build the report from what
/// the client saw and the health events Meridian recorded. The region is always restored, even on cancellation.
/// With an <see cref="ObjectWriteProbe"/>, objects are written to the region's bucket meanwhile and the report
/// gets the object RPO (acknowledged before the outage, missing in the surviving region during it).
/// </summary>
public sealed class RegionOutageDrill(
    DrillOptions options,
    IOutageInjector injector,
    Func<CancellationToken, Task<IReadOnlyList<HealthEvent>>> healthEvents,
    TimeProvider time,
    ObjectWriteProbe? objects = null)
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
        using var writerStop = new CancellationTokenSource(options.Duration, time);
        using var writerToken = CancellationTokenSource.CreateLinkedTokenSource(writerStop.Token, token);
        var writing = objects?.RunAsync(start, writerToken.Token) ?? Task.CompletedTask;
        TimeSpan outageAt = TimeSpan.Zero, restoreAt = TimeSpan.Zero;
        var injected = false;
        try
        {
            await Task.Delay(options.OutageAt, time, token);
            outageAt = time.GetElapsedTime(start);
            progress?.Report($"{outageAt.TotalSeconds,6:0.00}s  outage: {options.Region} ({options.Mode.ToString().ToLowerInvariant()})");
            if (objects is not null)
            {
                await objects.OnOutageAsync(outageAt, token);
            }

            injected = true;
            await injector.InjectAsync(options.Region, options.Mode, token);
            var untilRestore = options.RestoreAt - time.GetElapsedTime(start);
            await Task.Delay(untilRestore > TimeSpan.Zero ? untilRestore : TimeSpan.Zero, time, token);
            if (objects is not null)
            {
                progress?.Report($"{time.GetElapsedTime(start).TotalSeconds,6:0.00}s  objects: listing the surviving region's bucket");
                await objects.BeforeRestoreAsync(token);
            }
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
        await writing;
        ObjectTierReport? objectReport = null;
        if (objects is not null)
        {
            progress?.Report($"{time.GetElapsedTime(start).TotalSeconds,6:0.00}s  objects: waiting for replication to deliver what was owed");
            objectReport = await objects.FinishAsync(token);
        }

        progress?.Report($"{time.GetElapsedTime(start).TotalSeconds,6:0.00}s  done; collecting health events");
        var events = await healthEvents(token);
        return DrillAnalyzer.Analyze(options, startedAt, client.Samples, outageAt, restoreAt, events) with { Objects = objectReport };
    }
}
