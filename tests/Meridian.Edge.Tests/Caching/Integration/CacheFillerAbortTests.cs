using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Edge.Tests.Caching.Integration;

/// <summary>A filler whose viewer leaves mid-body: the fetch goes on, the collapsed viewers get the whole object, it is stored.</summary>
public sealed class CacheFillerAbortTests
{
    /// <summary>Records each viewer's own abort token before the cache stage runs.</summary>
    private sealed class ViewerTokens : IEdgeStage
    {
        public List<CancellationToken> Tokens { get; } = [];

        public Task InvokeAsync(EdgeRequestContext context, EdgeRequestDelegate next)
        {
            lock (Tokens)
            {
                Tokens.Add(context.Http.RequestAborted);
            }

            return next(context);
        }
    }

    [Fact]
    public async Task Get_FillerLeavesMidBody_CollapsedViewerGetsWholeObjectAndItIsStored()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = new string('a', 1000) + new string('b', 1000);
        await using var origin = await CacheOrigin.StartAsync(async (http, n) =>
        {
            http.Response.Headers.CacheControl = "max-age=60";
            http.Response.ContentLength = body.Length;
            await http.Response.WriteAsync(body[..1000]);
            await http.Response.Body.FlushAsync();
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await http.Response.WriteAsync(body[1000..]);
        });
        var viewers = new ViewerTokens();
        await using var edge = new EdgeServer(CacheOrigin.Config([origin]), TimeProvider.System, NullLoggerFactory.Instance, [viewers]);
        await edge.StartAsync(CancellationToken.None);
        var baseUri = new Uri($"http://{edge.Endpoints[EdgeHarness.Location][0]}");
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        // The filler reads the first half, then a second viewer collapses on the fill.
        var fillerClient = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var fillerResponse = await fillerClient.SendAsync(Request(baseUri), HttpCompletionOption.ResponseHeadersRead, limit.Token);
        var fillerBody = await fillerResponse.Content.ReadAsStreamAsync(limit.Token);
        await fillerBody.ReadExactlyAsync(new byte[1000], limit.Token);
        using var waiterClient = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var waiter = waiterClient.SendAsync(Request(baseUri), limit.Token);
        await Poll.UntilAsync(() => edge.GetCacheMetrics(EdgeHarness.Location).Behaviors.Sum(b => b.Collapsed) == 1, "the second viewer waiting on the fill");

        // The filler's viewer leaves; the origin then sends the rest.
        fillerResponse.Dispose();
        fillerClient.Dispose();
        await Poll.UntilAsync(() => { lock (viewers.Tokens) { return viewers.Tokens[0].IsCancellationRequested; } }, "the edge to see the filler's viewer leave");
        gate.SetResult();

        using var waited = await waiter;
        Assert.Equal(HttpStatusCode.OK, waited.StatusCode);
        Assert.Equal(body, await waited.Content.ReadAsStringAsync(limit.Token));
        using var hit = await waiterClient.SendAsync(Request(baseUri), limit.Token);
        Assert.Equal($"Hit from {EdgeHarness.Location}", hit.Headers.GetValues("X-Cache").Single());
        Assert.Equal(body, await hit.Content.ReadAsStringAsync(limit.Token));
        Assert.Equal(1, origin.Count);
    }

    [Fact]
    public async Task Get_FillerLeftThenObjectOutgrowsCache_FetchCancelled()
    {
        var more = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var origin = await CacheOrigin.StartAsync(async (http, n) =>
        {
            using var registration = http.RequestAborted.Register(() => aborted.TrySetResult());
            http.Response.Headers.CacheControl = "max-age=60";
            await http.Response.Body.WriteAsync(new byte[4096]);
            await http.Response.Body.FlushAsync();
            await more.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await http.Response.Body.WriteAsync(new byte[40_000]); // past the 10 KiB max object size
            await http.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(20), http.RequestAborted); // an endless stream, until cancelled
        });
        var viewers = new ViewerTokens();
        var config = CacheOrigin.Config([origin]) with { Cache = new Meridian.Topology.Model.EdgeCacheConfig { MemoryBytes = 80 * 1024 } };
        // A 60 s response timeout makes YARP's activity timeout 62 s: only the dropped fill can end the fetch in time.
        var distribution = config.Distributions[0];
        config = config with
        {
            Distributions = [distribution with { Origins = [.. distribution.Origins.Select(o => o with { ResponseTimeout = TimeSpan.FromSeconds(60) })] }],
        };
        await using var edge = new EdgeServer(config, TimeProvider.System, NullLoggerFactory.Instance, [viewers]);
        await edge.StartAsync(CancellationToken.None);
        var baseUri = new Uri($"http://{edge.Endpoints[EdgeHarness.Location][0]}");
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using (var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }))
        {
            using var response = await client.SendAsync(Request(baseUri), HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var stream = await response.Content.ReadAsStreamAsync(limit.Token);
            await stream.ReadExactlyAsync(new byte[4096], limit.Token); // being stored now: the viewer's leaving does not stop the fetch
        }

        await Poll.UntilAsync(() => { lock (viewers.Tokens) { return viewers.Tokens[0].IsCancellationRequested; } }, "the edge to see the viewer leave");
        Assert.False(aborted.Task.IsCompleted);
        more.SetResult();

        // The object outgrew the cache: nobody needs the rest, the origin request is cancelled.
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Get_ViewerLeavesBeforeHeaders_FetchCancelledAndNothingStored()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var origin = await CacheOrigin.StartAsync(async (http, n) =>
        {
            if (n == 1)
            {
                using var registration = http.RequestAborted.Register(() => cancelled.TrySetResult());
                await gate.Task.WaitAsync(TimeSpan.FromSeconds(20));
                return;
            }

            http.Response.Headers.CacheControl = "max-age=60";
            await http.Response.WriteAsync("second");
        });
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));
        using (var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }))
        {
            var pending = client.SendAsync(Request(edge.BaseUri));
            await Poll.UntilAsync(() => origin.Count == 1, "the first request at the origin");
            client.CancelPendingRequests();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        }

        // The origin request is cancelled with the viewer (nothing was being stored).
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(20));
        gate.SetResult();
        using var next = await edge.GetAsync("/object");
        Assert.Equal("second", await next.Content.ReadAsStringAsync());
    }

    private static HttpRequestMessage Request(Uri baseUri)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "/object"));
        request.Headers.Host = EdgeHarness.Alias;
        return request;
    }
}
