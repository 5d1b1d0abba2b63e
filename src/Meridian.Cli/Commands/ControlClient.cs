using System.Net.Http.Json;
using Meridian.Hosting.Control;
using Meridian.Topology;

namespace Meridian.Cli.Commands;

/// <summary>Finds and calls a running Meridian's control API: --control URL, or control.listen of --config.</summary>
internal sealed class ControlClient : IDisposable
{
    private readonly HttpClient _http;

    private ControlClient(Uri baseAddress, TimeSpan? timeout)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(5) };
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <param name="timeout">Per request; 5 s unless the call is known to be long (a database switchover).</param>
    public static ControlClient? Locate(string? controlUrl, string? configPath, TextWriter stderr, TimeSpan? timeout = null)
    {
        if (controlUrl is not null)
        {
            return new ControlClient(new Uri(controlUrl.EndsWith('/') ? controlUrl : controlUrl + "/"), timeout);
        }

        // Without either, the demo's topology (what `meridian demo` runs) locates the control API.
        configPath ??= Demo.DemoCommand.DefaultTopology;
        var result = TopologyLoader.Load(configPath);
        if (!result.Succeeded)
        {
            TopologyReport.WriteDiagnostics(result, stderr);
            return null;
        }

        return new ControlClient(new Uri($"http://{result.Config!.Control.Listen}/"), timeout);
    }

    public async Task<T?> GetAsync<T>(string path, CancellationToken token) =>
        await _http.GetFromJsonAsync<T>(path, ControlApi.Json, token);

    public async Task<HttpResponseMessage> SendGetAsync(string path, CancellationToken token) => await _http.GetAsync(path, token);

    public async Task<HttpResponseMessage> SendPostAsync(string path, CancellationToken token) => await _http.PostAsync(path, content: null, token);

    /// <summary>POST returning as soon as headers arrive, for endpoints that stream progress lines.</summary>
    public async Task<HttpResponseMessage> SendPostStreamingAsync(string path, CancellationToken token) =>
        await _http.SendAsync(new HttpRequestMessage(HttpMethod.Post, path), HttpCompletionOption.ResponseHeadersRead, token);

    public void Dispose() => _http.Dispose();
}
