using System.Net;
using Meridian.Topology.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Edge.Tests.Caching.Integration;

/// <summary>
/// The hit fast path (answered before the pipeline) against the full path (forced by a stage in front of the cache,
/// which turns the fast path off): the same responses, and the full path still taken where the fast one must not answer.
/// </summary>
public sealed class CacheHitPathTests
{
    private static readonly string[] VolatileHeaders = ["Date", "Age"];

    /// <summary>A stage that only passes requests on: its presence makes the edge skip the hit fast path.</summary>
    private sealed class PassThroughStage : IEdgeStage
    {
        public int Seen;

        public Task InvokeAsync(EdgeRequestContext context, EdgeRequestDelegate next)
        {
            Interlocked.Increment(ref Seen);
            return next(context);
        }
    }

    private static async Task<(HttpStatusCode Status, string Body, SortedDictionary<string, string> Headers)> SendAsync(
        EdgeServer server, HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None });
        using var request = new HttpRequestMessage(method, new Uri($"http://{server.Endpoints[EdgeHarness.Location][0]}{path}"));
        request.Headers.Host = EdgeHarness.Alias;
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var all = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!VolatileHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                all[name] = string.Join(" | ", values);
            }
        }

        return (response.StatusCode, body, all);
    }

    private static Func<HttpContext, int, Task> Origin() => (http, n) =>
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "public, max-age=600";
        headers.Append("X-Multi", "one");
        headers.Append("X-Multi", "two");
        headers.Via = "1.1 origin-proxy";
        headers.ETag = "\"v1\"";
        if (http.Request.Path.StartsWithSegments("/gone"))
        {
            http.Response.StatusCode = 404;
        }

        http.Response.ContentType = "text/plain";
        var body = http.Request.Path.StartsWithSegments("/big") ? new string('b', 150_000) : $"body of {http.Request.Path}";
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        http.Response.ContentLength = bytes.Length;
        return http.Response.Body.WriteAsync(bytes).AsTask();
    };

    private static EdgeConfig Config(CacheOrigin origin) => CacheOrigin.Config([origin],
        errorCaching: new Dictionary<int, TimeSpan> { [404] = TimeSpan.FromMinutes(1) });

    [Theory]
    [InlineData("GET", "/a")]
    [InlineData("HEAD", "/a")]
    [InlineData("GET", "/big")]
    [InlineData("GET", "/gone")]
    public async Task Hit_FastPathAndFullPath_SameResponse(string method, string path)
    {
        await using var origin = await CacheOrigin.StartAsync(Origin());
        var stage = new PassThroughStage();
        await using var fast = new EdgeServer(Config(origin), TimeProvider.System, NullLoggerFactory.Instance);
        await using var full = new EdgeServer(Config(origin), TimeProvider.System, NullLoggerFactory.Instance, [stage]);
        await fast.StartAsync(CancellationToken.None);
        await full.StartAsync(CancellationToken.None);
        await SendAsync(fast, HttpMethod.Get, path);
        await SendAsync(full, HttpMethod.Get, path);
        var seenBefore = stage.Seen;

        var fastHit = await SendAsync(fast, new HttpMethod(method), path);
        var fullHit = await SendAsync(full, new HttpMethod(method), path);

        Assert.Equal(seenBefore + 1, stage.Seen); // the full server's hit went through the pipeline
        Assert.Equal(2, origin.Count);            // neither hit reached the origin
        Assert.Equal(fullHit.Status, fastHit.Status);
        Assert.Equal(fullHit.Body, fastHit.Body);
        Assert.Equal(fullHit.Headers, fastHit.Headers);
        Assert.Equal(path == "/gone" ? $"Error from {EdgeHarness.Location}" : $"Hit from {EdgeHarness.Location}", fastHit.Headers["X-Cache"]);
        Assert.Equal($"1.1 origin-proxy | 1.1 {EdgeHarness.Location} (Meridian)", fastHit.Headers["Via"]); // HttpClient splits the list
        Assert.Equal("one | two", fastHit.Headers["X-Multi"]);
    }

    [Fact]
    public async Task Hit_ConditionalRequest_FullPathAnswers304()
    {
        await using var origin = await CacheOrigin.StartAsync(Origin());
        await using var edge = new EdgeServer(Config(origin), TimeProvider.System, NullLoggerFactory.Instance);
        await edge.StartAsync(CancellationToken.None);
        await SendAsync(edge, HttpMethod.Get, "/a");

        var conditional = await SendAsync(edge, HttpMethod.Get, "/a", ("If-None-Match", "\"v1\""));

        Assert.Equal(HttpStatusCode.NotModified, conditional.Status);
        Assert.Equal(1, origin.Count);
    }

    [Fact]
    public async Task Hit_CountsInMetrics()
    {
        await using var origin = await CacheOrigin.StartAsync(Origin());
        await using var edge = new EdgeServer(Config(origin), TimeProvider.System, NullLoggerFactory.Instance);
        await edge.StartAsync(CancellationToken.None);
        await SendAsync(edge, HttpMethod.Get, "/a");
        for (var i = 0; i < 5; i++)
        {
            await SendAsync(edge, HttpMethod.Get, "/a");
        }

        var behavior = Assert.Single(edge.GetCacheMetrics(EdgeHarness.Location).Behaviors);
        Assert.Equal(5, behavior.Hits);
        Assert.Equal(1, behavior.Misses);
        Assert.Equal(5 * "body of /a".Length, behavior.BytesServed);
    }
}
