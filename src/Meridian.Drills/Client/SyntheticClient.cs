using System.Collections.Concurrent;
using System.Net;

namespace Meridian.Drills.Client;

/// <summary>
/// The drill's users: DNS lookups every <see cref="DrillOptions.DnsInterval"/>, and GETs at a fixed rate through
/// the edge and directly at the region DNS returned. Requests are started on schedule and not awaited in turn, so
/// a hung region shows as timeouts instead of slowing the schedule. Bounded: rate × duration requests per path.
/// </summary>
internal sealed class SyntheticClient(DrillOptions options, TimeProvider time)
{
    private readonly ConcurrentQueue<ProbeSample> _samples = new();
    private volatile IPAddress? _appAddress;
    private volatile IPAddress? _edgeAddress;

    public IReadOnlyList<ProbeSample> Samples => _samples.OrderBy(s => s.Offset).ToArray();

    public async Task RunAsync(long startTimestamp, CancellationToken token)
    {
        var dns = new DnsProbe(options);
        using var http = new HttpProbe(options.RequestTimeout);
        await ResolveFirstAsync(dns, token);
        var loops = new List<Task> { DnsLoopAsync(dns, startTimestamp, token) };
        loops.Add(HttpLoopAsync("direct", http, () => _appAddress, options.DirectPort, options.AppName, startTimestamp, token));
        if (options.CdnName is { } cdn)
        {
            loops.Add(EdgeDnsLoopAsync(dns, cdn, startTimestamp, token));
            loops.Add(HttpLoopAsync("edge", http, () => _edgeAddress, options.EdgePort, cdn, startTimestamp, token));
        }

        await Task.WhenAll(loops);
    }

    /// <summary>Both names resolve before the clock matters, so no request is counted as failed for want of an address.</summary>
    private async Task ResolveFirstAsync(DnsProbe dns, CancellationToken token)
    {
        for (var attempt = 0; attempt < 20 && (_appAddress is null || (options.CdnName is not null && _edgeAddress is null)); attempt++)
        {
            var (_, app) = await dns.ProbeAsync(options.AppName, TimeSpan.Zero, token);
            _appAddress ??= app.FirstOrDefault();
            if (options.CdnName is { } cdn)
            {
                var (_, edge) = await dns.ProbeAsync(cdn, TimeSpan.Zero, token);
                _edgeAddress ??= edge.FirstOrDefault();
            }

            if (_appAddress is null || (options.CdnName is not null && _edgeAddress is null))
            {
                await DelayAsync(TimeSpan.FromMilliseconds(100), token);
            }
        }
    }

    private TimeSpan Elapsed(long start) => time.GetElapsedTime(start);

    private async Task DnsLoopAsync(DnsProbe dns, long start, CancellationToken token)
    {
        while (Elapsed(start) < options.Duration && !token.IsCancellationRequested)
        {
            var (sample, addresses) = await dns.ProbeAsync(options.AppName, Elapsed(start), token);
            if (addresses.Count > 0)
            {
                _appAddress = addresses[0];
            }

            _samples.Enqueue(sample with { Region = RegionOf(addresses) });
            await DelayAsync(options.DnsInterval, token);
        }
    }

    /// <summary>The edge location is found through DNS like a browser would (nearest healthy edge), once a second.</summary>
    private async Task EdgeDnsLoopAsync(DnsProbe dns, string cdn, long start, CancellationToken token)
    {
        while (Elapsed(start) < options.Duration && !token.IsCancellationRequested)
        {
            var (_, addresses) = await dns.ProbeAsync(cdn, Elapsed(start), token);
            if (addresses.Count > 0)
            {
                _edgeAddress = addresses[0];
            }

            await DelayAsync(_edgeAddress is null ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1), token);
        }
    }

    private async Task HttpLoopAsync(string path, HttpProbe http, Func<IPAddress?> target, int port, string host, long start, CancellationToken token)
    {
        var interval = TimeSpan.FromSeconds(1.0 / Math.Max(1, options.Rate));
        var inFlight = new List<Task>();
        var total = (long)(options.Duration.TotalSeconds * options.Rate);
        for (long sent = 0; sent < total && Elapsed(start) < options.Duration && !token.IsCancellationRequested; sent++)
        {
            var due = interval * sent;
            var wait = due - Elapsed(start);
            if (wait > TimeSpan.Zero)
            {
                await DelayAsync(wait, token);
            }

            if (target() is not { } address)
            {
                _samples.Enqueue(new ProbeSample(path, Elapsed(start), false, "no address resolved yet", null, TimeSpan.Zero));
                continue;
            }

            inFlight.Add(Record(http.GetAsync(path, address, port, host, options.RequestPath, Elapsed(start), token)));
            inFlight.RemoveAll(t => t.IsCompleted);
        }

        await Task.WhenAll(inFlight);
    }

    private async Task Record(Task<ProbeSample> probe) => _samples.Enqueue(await probe);

    private string? RegionOf(IReadOnlyList<IPAddress> addresses) =>
        addresses.Any(options.RegionAddresses.Contains) ? options.Region : addresses.Count > 0 ? "other" : null;

    private async Task DelayAsync(TimeSpan delay, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, time, token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
