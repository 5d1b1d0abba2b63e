using System.Diagnostics;
using System.Net;

namespace Meridian.Drills.Client;

/// <summary>One GET through a path (edge or direct), with the Host the user would send.</summary>
internal sealed class HttpProbe : IDisposable
{
    private readonly HttpClient _http;

    public HttpProbe(TimeSpan timeout)
    {
        // New connections per request would hide keep-alive failures; pooled connections with a short lifetime
        // behave like a browser that keeps retrying through DNS changes.
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromSeconds(2),
            ConnectTimeout = timeout,
        })
        {
            Timeout = timeout,
        };
    }

    public async Task<ProbeSample> GetAsync(string path, IPAddress address, int port, string host, string requestPath, TimeSpan offset, CancellationToken token)
    {
        var started = Stopwatch.GetTimestamp();
        var uri = new UriBuilder("http", address.ToString(), port, requestPath).Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Host = host;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
            var region = response.Headers.TryGetValues("X-Region", out var values) ? values.FirstOrDefault() : null;
            var ok = (int)response.StatusCode < 400;
            return new ProbeSample(path, offset, ok, $"HTTP {(int)response.StatusCode} from {region ?? address.ToString()}", region, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            var reason = ex is TaskCanceledException && !token.IsCancellationRequested ? "timeout" : ex.Message;
            return new ProbeSample(path, offset, false, reason, null, Stopwatch.GetElapsedTime(started));
        }
    }

    public void Dispose() => _http.Dispose();
}
