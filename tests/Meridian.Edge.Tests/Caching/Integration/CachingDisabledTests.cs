using System.Net;
using Meridian.Topology.Model;
using Microsoft.AspNetCore.Http;
using static Meridian.Edge.Tests.ResponseHeaders;

namespace Meridian.Edge.Tests.Caching.Integration;

/// <summary>
/// <c>caching: disabled</c> (CloudFront's CachingDisabled policy, <see cref="Meridian.Edge.Caching.UncachedHook"/>): every
/// request reaches the origin, even one the rules would store; nothing is stored or collapsed; the key settings still
/// shape the origin request.
/// </summary>
public sealed class CachingDisabledTests
{
    private static EdgeConfig Disabled(CacheOrigin origin, CacheKeyConfig? key = null) => CacheOrigin.Config([origin],
    [
        CacheOrigin.Behavior("/api/*", b => b with
        {
            CachingDisabled = true,
            AllowedMethods = AllowedMethods.All,
            CacheKey = key ?? CacheKeyConfig.Default,
        }),
        CacheOrigin.Behavior("*"),
    ]);

    [Fact]
    public async Task Get_StorableAnswer_EveryRequestReachesOriginAsAMiss()
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=60", "fresh"));
        await using var edge = await EdgeHarness.StartAsync(Disabled(origin));

        for (var i = 1; i <= 3; i++)
        {
            using var response = await edge.GetAsync("/api/region");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("fresh", await response.Content.ReadAsStringAsync());
            Assert.Equal($"Miss from {EdgeHarness.Location}", Header(response, "X-Cache"));
            Assert.Contains($"1.1 {EdgeHarness.Location} (Meridian)", Header(response, "Via"), StringComparison.Ordinal);
            Assert.Null(Header(response, "Age"));
            Assert.Equal(i, origin.Count);
        }

        // The other behaviour still caches: the same answer under "*" is stored and then a hit.
        using (await edge.GetAsync("/page"))
        {
        }

        using var hit = await edge.GetAsync("/page");
        Assert.Equal($"Hit from {EdgeHarness.Location}", Header(hit, "X-Cache"));
        Assert.Equal(4, origin.Count);

        var metrics = edge.Server.GetCacheMetrics(EdgeHarness.Location);
        Assert.Equal(1, metrics.Entries); // /page only
        var api = Assert.Single(metrics.Behaviors, b => b.PathPattern == "/api/*");
        Assert.Equal((0L, 3L, 3L * "fresh".Length), (api.Hits, api.Misses, api.BytesFromOrigin));
    }

    [Fact]
    public async Task Get_ConcurrentRequests_NotCollapsed()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var origin = await CacheOrigin.StartAsync(async (http, n) =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10));
            http.Response.Headers.CacheControl = "max-age=60";
            await http.Response.WriteAsync($"answer {n}");
        });
        await using var edge = await EdgeHarness.StartAsync(Disabled(origin));

        var requests = Enumerable.Range(0, 3).Select(_ => edge.GetAsync("/api/slow")).ToArray();
        // Each reaches the origin on its own (a collapsed request would wait at the edge for the first).
        await Poll.UntilAsync(() => origin.Count == 3, "three origin requests at once");
        release.SetResult();
        var bodies = new List<string>();
        foreach (var request in requests)
        {
            using var response = await request;
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(["answer 1", "answer 2", "answer 3"], bodies.Order());
    }

    [Fact]
    public async Task Get_KeySettings_StillDecideWhatTheOriginGets()
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("no-store"));
        await using var edge = await EdgeHarness.StartAsync(Disabled(origin,
            new CacheKeyConfig(KeyListPolicy.AllowList, ["page"], ["X-Tenant"], KeyListPolicy.AllowList, ["session"])));

        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge.BaseUri, "/api/items?page=2&utm=x"));
        request.Headers.Host = EdgeHarness.Alias;
        request.Headers.Add("X-Tenant", "t1");
        request.Headers.Add("X-Other", "dropped");
        request.Headers.Add("Cookie", "tracking=1; session=abc");
        request.Headers.Add("Accept-Encoding", "gzip, deflate, br");
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false });
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(origin.Requests);
        Assert.Equal("/api/items?page=2", seen.PathAndQuery);
        Assert.Equal("t1", seen.Headers["X-Tenant"]);
        Assert.False(seen.Headers.ContainsKey("X-Other"));
        Assert.Equal("session=abc", seen.Headers["Cookie"]);
        Assert.Equal("br,gzip", seen.Headers["Accept-Encoding"]);
    }

    [Fact]
    public async Task Post_ForwardedWithAuthorizationAndBody_MissNotStored()
    {
        await using var origin = await CacheOrigin.StartAsync(async (http, n) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            http.Response.Headers.CacheControl = "max-age=60";
            await http.Response.WriteAsync($"{http.Request.Method} {body}");
        });
        await using var edge = await EdgeHarness.StartAsync(Disabled(origin));

        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(edge.BaseUri, "/api/orders")) { Content = new StringContent("order-1") };
        request.Headers.Host = EdgeHarness.Alias;
        request.Headers.Add("Authorization", "Bearer t");
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var response = await client.SendAsync(request);

        Assert.Equal("POST order-1", await response.Content.ReadAsStringAsync());
        Assert.Equal($"Miss from {EdgeHarness.Location}", Header(response, "X-Cache"));
        Assert.Equal("Bearer t", Assert.Single(origin.Requests).Headers["Authorization"]);
        Assert.Equal(0, edge.Server.GetCacheMetrics(EdgeHarness.Location).Entries);
    }

    [Fact]
    public async Task Get_OriginError_XCacheErrorAndNothingKept()
    {
        await using var origin = await CacheOrigin.StartAsync((http, n) =>
        {
            http.Response.StatusCode = n == 1 ? 404 : 200;
            return http.Response.WriteAsync($"answer {n}");
        });
        await using var edge = await EdgeHarness.StartAsync(Disabled(origin));

        using var error = await edge.GetAsync("/api/thing");
        using var next = await edge.GetAsync("/api/thing");

        Assert.Equal((HttpStatusCode.NotFound, $"Error from {EdgeHarness.Location}"), (error.StatusCode, Header(error, "X-Cache")));
        Assert.Equal((HttpStatusCode.OK, "answer 2"), (next.StatusCode, await next.Content.ReadAsStringAsync())); // 404 not error-cached
    }
}
