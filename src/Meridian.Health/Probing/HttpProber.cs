using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Text;
using Meridian.Topology.Model;

namespace Meridian.Health;

/// <summary>
/// HTTP/HTTPS GET probe. Every probe uses a fresh connection (Connection: close) so a listener that stopped
/// accepting is noticed even while an old keep-alive connection would still work. No proxy, no redirects, no
/// certificate validation unless configured (Route53 behaviour).
/// </summary>
internal sealed class HttpProber : IHealthProber, IDisposable
{
    public const int BodyLimit = 5120;

    private readonly HealthCheckConfig _check;
    private readonly TimeProvider _time;
    private readonly HttpClient _client;
    private readonly Uri _uri;
    private readonly IReadOnlyList<StatusRange> _expectedRanges;
    private readonly string _expected;

    public HttpProber(HealthCheckConfig check, TimeProvider time)
    {
        _check = check;
        _time = time;
        var https = check.Type == HealthCheckType.Https;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromSeconds(1),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(1),
        };
        if (https)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = SniName(check),
                RemoteCertificateValidationCallback = check.ValidateCertificate ? null : static (_, _, _, _) => true,
            };
        }

        // The probe timeout is enforced by the caller's token on the injected clock, not by HttpClient's timer.
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _uri = BuildUri(check, https);
        // An empty list would fail every probe; treat it as "not configured".
        _expectedRanges = check.ExpectedStatus.Count > 0 ? check.ExpectedStatus : StatusRange.Default2xx3xx;
        _expected = string.Join(",", _expectedRanges);
    }

    public async ValueTask<ProbeResult> ProbeAsync(string location, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _uri) { Version = HttpVersion.Version11 };
        request.Headers.ConnectionClose = true;
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Meridian-HealthCheck", "1.0"));
        if (!string.IsNullOrEmpty(_check.HostHeader))
        {
            request.Headers.Host = _check.HostHeader;
        }

        var started = _time.GetTimestamp();
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        var latency = _time.GetElapsedTime(started);
        var status = (int)response.StatusCode;
        if (!_expectedRanges.Any(r => r.Contains(status)))
        {
            return ProbeResult.Fail($"HTTP {status} (expected {_expected})", latency);
        }

        if (_check.BodyContains is { Length: > 0 } needle)
        {
            var body = await ReadPrefixAsync(response, cancellationToken).ConfigureAwait(false);
            if (!body.Contains(needle, StringComparison.Ordinal))
            {
                return ProbeResult.Fail($"body does not contain '{needle}'", latency);
            }
        }

        return ProbeResult.Pass($"HTTP {status}", latency);
    }

    public void Dispose() => _client.Dispose();

    private static async Task<string> ReadPrefixAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[BodyLimit];
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var total = 0;
            while (total < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, total);
        }
    }

    private static string SniName(HealthCheckConfig check)
    {
        var name = string.IsNullOrEmpty(check.HostHeader) ? check.Host : check.HostHeader;
        // A Host header may carry a port ("api.example.test:8443"); SNI must not.
        var colon = name.LastIndexOf(':');
        if (colon > 0 && !name.Contains(']') && name.IndexOf(':') == colon)
        {
            name = name[..colon];
        }

        return name;
    }

    private static Uri BuildUri(HealthCheckConfig check, bool https)
    {
        var host = IPAddress.TryParse(check.Host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{check.Host}]"
            : check.Host;
        var port = check.Port > 0 ? check.Port : https ? 443 : 80;
        var path = check.Path.StartsWith('/') ? check.Path : "/" + check.Path;
        return new Uri($"{(https ? "https" : "http")}://{host}:{port}{path}", UriKind.Absolute);
    }
}
