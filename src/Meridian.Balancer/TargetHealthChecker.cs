using System.Net;
using System.Net.Http.Headers;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging;

namespace Meridian.Balancer;

/// <summary>
/// ALB-style active checks: GET <c>Path</c> on the health port (the traffic port by default) every <c>Interval</c>
/// on the injected clock, each bounded by <c>Timeout</c>, passing when the status is in the matcher. The first
/// check runs at registration so a new target can become healthy without waiting a full interval. YARP's own
/// active checker is not used: it has no Initial state, no separate thresholds and runs on real time.
/// </summary>
internal sealed class TargetHealthChecker : IDisposable
{
    private static readonly IReadOnlyList<StatusRange> DefaultMatcher = [new(200, 200)];

    private readonly string _balancer;
    private readonly TargetGroup _group;
    private readonly Func<TargetHealthConfig> _health;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _client;

    public TargetHealthChecker(string balancer, TargetGroup group, Func<TargetHealthConfig> health, TimeProvider time, ILogger logger)
    {
        _balancer = balancer;
        _group = group;
        _health = health;
        _time = time;
        _logger = logger;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromSeconds(1),
        };
        // The timeout is enforced by a token on the injected clock, not by HttpClient's own timer.
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    // Task.Run: the first check is due at once and must not run on the registering caller.
    public void Start(Target target) =>
        target.CheckLoop = Task.Run(() => RunAsync(target, target.ChecksStopping.Token), CancellationToken.None);

    public void Dispose() => _client.Dispose();

    private async Task RunAsync(Target target, CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                var health = _health();
                var started = _time.GetUtcNow();
                try
                {
                    var (success, reason) = await CheckAsync(target, health, stopping).ConfigureAwait(false);
                    stopping.ThrowIfCancellationRequested();
                    _group.ReportCheck(target, success, reason, health);
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    // An unexpected probe error still counts as a failed check: a target we cannot check is not healthy.
                    BalancerLog.LoopError(_logger, _balancer, target.Key, ex);
                    _group.ReportCheck(target, false, $"health check failed: {ex.Message}", health);
                }

                target.CheckCompleted();
                var interval = health.Interval > TimeSpan.Zero ? health.Interval : TimeSpan.FromSeconds(30);
                await WaitUntilAsync(target, started + interval, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Deregistered or shutting down.
        }
    }

    private async Task WaitUntilAsync(Target target, DateTimeOffset due, CancellationToken stopping)
    {
        var delay = due - _time.GetUtcNow();
        if (delay > TimeSpan.Zero)
        {
            var wait = Task.Delay(delay, _time, stopping);
            target.SetNextCheckDue(due);
            try
            {
                await wait.ConfigureAwait(false);
            }
            finally
            {
                target.SetNextCheckDue(null);
            }
        }

        stopping.ThrowIfCancellationRequested();
    }

    internal async Task<(bool Success, string Reason)> CheckAsync(Target target, TargetHealthConfig health, CancellationToken stopping)
    {
        var timeout = health.Timeout > TimeSpan.Zero ? health.Timeout : TimeSpan.FromSeconds(5);
        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeoutSource.Token);
        var uri = BuildUri(target.Config, health);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = HttpVersion.Version11 };
            // A fresh connection per check: a target that stopped accepting is noticed even with a pooled connection.
            request.Headers.ConnectionClose = true;
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Meridian-HealthChecker", "1.0"));
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                .ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var matcher = health.Matcher.Count > 0 ? health.Matcher : DefaultMatcher;
            return matcher.Any(r => r.Contains(status))
                ? (true, $"health check passed: HTTP {status}")
                : (false, $"health check failed: HTTP {status} (expected {string.Join(",", matcher)})");
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            return (false, $"health check failed: no response within {timeout}");
        }
        catch (HttpRequestException ex)
        {
            return (false, $"health check failed: {ProxyErrors.Describe(ex)}");
        }
    }

    private static Uri BuildUri(TargetConfig target, TargetHealthConfig health)
    {
        var host = target.Host.Contains(':') ? $"[{target.Host}]" : target.Host;
        var port = health.Port ?? target.Port;
        var path = health.Path.StartsWith('/') ? health.Path : "/" + health.Path;
        return new Uri($"http://{host}:{port}{path}", UriKind.Absolute);
    }
}
