using System.Collections.Concurrent;
using System.Net;
using Meridian.Topology.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Meridian.Edge.Tests.Caching.Integration;

/// <summary>A Kestrel origin on 127.0.0.1:0 whose answer is a delegate; records every request (no probes are configured).</summary>
internal sealed class CacheOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    private CacheOrigin(Func<HttpContext, int, Task> handler)
    {
        Handler = handler;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(http =>
        {
            var n = Interlocked.Increment(ref _count);
            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            Requests.Enqueue(new RecordedRequest(http.Request.Method, http.Request.Path + http.Request.QueryString, headers));
            return Handler(http, n);
        });
    }

    public Func<HttpContext, int, Task> Handler { get; set; }

    public Uri Url { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public int Count => Volatile.Read(ref _count);

    public static async Task<CacheOrigin> StartAsync(Func<HttpContext, int, Task> handler)
    {
        var origin = new CacheOrigin(handler);
        await origin._app.StartAsync();
        origin.Url = new Uri(origin._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return origin;
    }

    /// <summary>Answers 200 with <paramref name="body"/> and the given Cache-Control (and optional extra headers).</summary>
    public static Func<HttpContext, int, Task> Text(string? cacheControl, string body = "hello", params (string Name, string Value)[] headers) =>
        (http, n) =>
        {
            if (cacheControl is not null)
            {
                http.Response.Headers.CacheControl = cacheControl;
            }

            foreach (var (name, value) in headers)
            {
                http.Response.Headers.Append(name, value);
            }

            http.Response.ContentType = "text/plain";
            var bytes = System.Text.Encoding.UTF8.GetBytes(body.Replace("{n}", n.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
            http.Response.ContentLength = bytes.Length;
            return http.Response.Body.WriteAsync(bytes).AsTask();
        };

    /// <summary>An edge config: one origin, the given behaviours (a default "*" one when none), no error caching unless given.</summary>
    public static EdgeConfig Config(IEnumerable<CacheOrigin> origins, IReadOnlyList<CacheBehaviorConfig>? behaviors = null,
        IReadOnlyDictionary<int, TimeSpan>? errorCaching = null)
    {
        var list = origins.Select((o, i) => EdgeHarness.Origin($"origin{i}", o.Url)).ToArray();
        var config = EdgeHarness.Config(list);
        var distribution = config.Distributions[0] with
        {
            Behaviors = behaviors ?? [Behavior("*")],
            ErrorCachingMinTtl = errorCaching ?? new Dictionary<int, TimeSpan>(),
        };
        return config with { Distributions = [distribution] };
    }

    public static CacheBehaviorConfig Behavior(string pattern, Func<CacheBehaviorConfig, CacheBehaviorConfig>? configure = null)
    {
        var behavior = new CacheBehaviorConfig { PathPattern = pattern, Target = "group" };
        return configure is null ? behavior : configure(behavior);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
