using System.Diagnostics;
using System.Globalization;

namespace Meridian.SampleApp.Dependencies;

/// <summary>GETs a URL and expects 2xx: for dependencies that have their own health endpoint.</summary>
public sealed class HttpDependencyCheck : IDependencyCheck
{
    private readonly Uri _uri;
    private readonly HttpClient _client;

    public HttpDependencyCheck(string name, Uri uri, HttpClient client)
    {
        Name = name;
        _uri = uri;
        _client = client;
    }

    public string Name { get; }

    public async Task<DependencyCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _client
                .GetAsync(_uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
            var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            return response.IsSuccessStatusCode
                ? DependencyCheckResult.Pass(Name, $"HTTP {status}", Stopwatch.GetElapsedTime(started))
                : DependencyCheckResult.Fail(Name, $"HTTP {status}", Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException)
        {
            return DependencyCheckResult.Fail(Name, "request timed out", Stopwatch.GetElapsedTime(started));
        }
        catch (HttpRequestException ex)
        {
            return DependencyCheckResult.Fail(Name, $"request failed: {ex.HttpRequestError}", Stopwatch.GetElapsedTime(started));
        }
    }
}
