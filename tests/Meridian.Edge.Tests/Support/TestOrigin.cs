using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Meridian.Edge.Tests;

/// <summary>A small Kestrel origin on 127.0.0.1:0 with a switchable status; records the requests it serves.</summary>
internal sealed class TestOrigin : IAsyncDisposable
{
    public const string ProbePath = "/_probe";

    private readonly WebApplication _app;
    private volatile int _status = 200;
    private volatile int _probeStatus = 200;

    private TestOrigin(string name)
    {
        Name = name;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public string Name { get; }

    public Uri Url { get; private set; } = null!;

    /// <summary>Requests other than probes.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public int ProbeCount => _probes;

    private int _probes;

    public int Status { get => _status; set => _status = value; }

    public int ProbeStatus { get => _probeStatus; set => _probeStatus = value; }

    /// <summary>Sets both the request and the probe status (the origin is up or down as a whole).</summary>
    public void SetAll(int status)
    {
        Status = status;
        ProbeStatus = status;
    }

    public static async Task<TestOrigin> StartAsync(string name, int status = 200)
    {
        var origin = new TestOrigin(name) { Status = status, ProbeStatus = status };
        await origin._app.StartAsync();
        var address = origin._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        origin.Url = new Uri(address);
        return origin;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>While set, "/stream" writes a first chunk, then waits for this gate before the second.</summary>
    public TaskCompletionSource StreamGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task StreamAsync(HttpContext http)
    {
        await http.Response.WriteAsync("part1;");
        await http.Response.Body.FlushAsync();
        await StreamGate.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await http.Response.WriteAsync("part2");
    }

    private Task HandleAsync(HttpContext http)
    {
        if (http.Request.Path == "/stream" && Status == 200)
        {
            return StreamAsync(http);
        }

        if (http.Request.Path == ProbePath)
        {
            Interlocked.Increment(ref _probes);
            http.Response.StatusCode = ProbeStatus;
            return Task.CompletedTask;
        }

        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Requests.Enqueue(new RecordedRequest(http.Request.Method, http.Request.Path + http.Request.QueryString, headers));
        var status = Status;
        http.Response.StatusCode = status;
        http.Response.Headers["X-Served-By"] = Name;
        // Not cacheable, so the edge cache (on by default) lets every request through to the origins.
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsync($"{Name} says {status}");
    }
}
