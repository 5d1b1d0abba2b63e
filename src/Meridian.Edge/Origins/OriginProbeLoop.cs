using Microsoft.Extensions.Logging;

namespace Meridian.Edge;

/// <summary>
/// Active probe of one origin (beyond CloudFront): GET <c>Probe.Path</c> every <c>Interval</c>, measured from probe
/// start, on the injected clock. 2xx/3xx within <c>Timeout</c> is a success. Results feed <see cref="OriginHealth"/>,
/// so a failed primary is skipped without paying its timeout and gets traffic back once it passes again.
/// </summary>
internal sealed class OriginProbeLoop(OriginRuntime origin, HttpMessageInvoker invoker, TimeProvider time, ILogger logger)
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _completion = Task.CompletedTask;
    private int _started;
    private int _stopped;

    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _completion = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        }
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _completion.ConfigureAwait(false);
        _stopping.Dispose();
        invoker.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var probe = origin.Config.Probe;
        var interval = probe.Interval > TimeSpan.Zero ? probe.Interval : TimeSpan.FromSeconds(5);
        try
        {
            while (true)
            {
                var started = time.GetUtcNow();
                var (success, reason) = await ProbeOnceAsync(stopping).ConfigureAwait(false);
                stopping.ThrowIfCancellationRequested();
                origin.Health.ReportProbe(success, reason);
                var delay = started + interval - time.GetUtcNow();
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, time, stopping).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped (origin removed or changed by a reload, or the server disposed).
        }
        catch (Exception ex)
        {
            EdgeLog.ProbeLoopFailed(logger, origin.Distribution, origin.Name, ex);
        }
    }

    private async Task<(bool Success, string Reason)> ProbeOnceAsync(CancellationToken stopping)
    {
        var probe = origin.Config.Probe;
        var path = probe.Path.StartsWith('/') ? probe.Path : "/" + probe.Path;
        using var timeout = new CancellationTokenSource(probe.Timeout > TimeSpan.Zero ? probe.Timeout : TimeSpan.FromSeconds(2), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, origin.Prefix + path);
            request.Headers.UserAgent.ParseAdd("Meridian-Edge-Probe/1.0");
            using var response = await invoker.SendAsync(request, linked.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return (code is >= 200 and < 400, $"probe GET {path}: HTTP {code}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            return (false, $"probe GET {path}: no answer within {probe.Timeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException ex)
        {
            return (false, $"probe GET {path}: {OriginFailure.Describe(ex)}");
        }
    }
}
