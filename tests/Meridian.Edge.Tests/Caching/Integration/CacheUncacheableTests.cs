using System.Net;
using Microsoft.AspNetCore.Http;

namespace Meridian.Edge.Tests.Caching.Integration;

/// <summary>
/// Hit-for-miss: once a key's origin answer could not be stored, concurrent misses of it go to the origin side by side
/// instead of queueing behind one another; an answer that can be stored again brings caching (and collapsing) back.
/// </summary>
public sealed class CacheUncacheableTests
{
    private static async Task<(HttpStatusCode Status, string Body, string XCache)> GetAsync(EdgeHarness edge, string path)
    {
        using var response = await edge.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.GetValues("X-Cache").Single().Split(' ')[0]);
    }

    [Fact]
    public async Task Get_AfterNoStoreAnswer_ConcurrentMissesReachOriginTogether()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var origin = await CacheOrigin.StartAsync(async (http, n) =>
        {
            if (n > 1)
            {
                await gate.Task.WaitAsync(TimeSpan.FromSeconds(20));
            }

            http.Response.Headers.CacheControl = "no-store";
            await http.Response.WriteAsync($"answer {n}");
        });
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));
        Assert.Equal("answer 1", (await GetAsync(edge, "/api")).Body);

        var requests = Enumerable.Range(0, 5).Select(_ => GetAsync(edge, "/api")).ToArray();
        // Collapsed, only one of them would reach the origin while it holds its answer.
        await Poll.UntilAsync(() => origin.Count == 6, "5 concurrent misses at the origin at once");
        gate.SetResult();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal("Miss", r.XCache));
        Assert.Equal(5, responses.Select(r => r.Body).Distinct().Count());
        Assert.Equal(0, edge.Server.GetCacheMetrics(EdgeHarness.Location).Behaviors.Sum(b => b.Collapsed));
    }

    [Fact]
    public async Task Get_KeyBecomesCacheable_StoredAgainAfterOnePass()
    {
        var cacheControl = "no-store";
        await using var origin = await CacheOrigin.StartAsync((http, n) =>
        {
            http.Response.Headers.CacheControl = cacheControl;
            return http.Response.WriteAsync($"answer {n}");
        });
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));
        await GetAsync(edge, "/a"); // marks the key
        cacheControl = "max-age=60";

        var pass = await GetAsync(edge, "/a");  // not collapsed, not stored; clears the mark
        var fill = await GetAsync(edge, "/a");  // an ordinary miss: stored
        var hit = await GetAsync(edge, "/a");

        Assert.Equal(("Miss", "answer 2"), (pass.XCache, pass.Body));
        Assert.Equal(("Miss", "answer 3"), (fill.XCache, fill.Body));
        Assert.Equal(("Hit", "answer 3"), (hit.XCache, hit.Body));
        Assert.Equal(3, origin.Count);
    }

    [Fact]
    public async Task Get_After5xxAnswer_MissesStayCollapsed()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var origin = await CacheOrigin.StartAsync(async (http, n) =>
        {
            if (n == 1)
            {
                http.Response.StatusCode = 500;
                return;
            }

            await gate.Task.WaitAsync(TimeSpan.FromSeconds(20));
            http.Response.Headers.CacheControl = "max-age=60";
            await http.Response.WriteAsync("recovered");
        });
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));
        Assert.Equal(HttpStatusCode.InternalServerError, (await GetAsync(edge, "/b")).Status);

        var requests = Enumerable.Range(0, 5).Select(_ => GetAsync(edge, "/b")).ToArray();
        await Poll.UntilAsync(() => origin.Count >= 2 && edge.Server.GetCacheMetrics(EdgeHarness.Location).Behaviors.Sum(b => b.Collapsed) >= 4,
            "4 misses waiting on the one fill");
        gate.SetResult();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal("recovered", r.Body));
        Assert.Equal(2, origin.Count);
    }
}
