using System.IO.Compression;
using System.Net;
using Meridian.Topology.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using static Meridian.Edge.Tests.ResponseHeaders;

namespace Meridian.Edge.Tests.Caching.Integration;

public sealed class CacheStageTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(HttpStatusCode Status, string Body, string? XCache, HttpResponseMessage Response)> GetAsync(
        EdgeHarness edge, string path = "/", Action<HttpRequestMessage>? configure = null, HttpMethod? method = null)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(edge.BaseUri, path));
        request.Headers.Host = EdgeHarness.Alias;
        configure?.Invoke(request);
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body, Header(response, "X-Cache"), response);
    }

    [Fact]
    public async Task Get_SecondRequest_IsHitFromCache()
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=60", "body {n}"));
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));

        var first = await GetAsync(edge, "/a");
        var second = await GetAsync(edge, "/a");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal($"Miss from {EdgeHarness.Location}", first.XCache);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal($"Hit from {EdgeHarness.Location}", second.XCache);
        Assert.Equal("body 1", second.Body);
        Assert.NotNull(Header(second.Response, "Age"));
        Assert.Contains($"1.1 {EdgeHarness.Location} (Meridian)", Header(second.Response, "Via"), StringComparison.Ordinal);
        Assert.Equal(1, origin.Count);
        var metrics = edge.Server.GetCacheMetrics(EdgeHarness.Location);
        var behavior = Assert.Single(metrics.Behaviors);
        Assert.Equal(1, behavior.Hits);
        Assert.Equal(1, behavior.Misses);
        Assert.Equal(0.5, behavior.HitRatio);
        Assert.Equal(1, metrics.Entries);
        Assert.True(behavior.BytesServed > 0 && behavior.BytesFromOrigin > 0);
    }

    [Fact]
    public async Task Get_ViewerConditionalOnHit_Returns304()
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=60", "x", ("ETag", "\"v1\"")));
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));
        await GetAsync(edge);

        var conditional = await GetAsync(edge, configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", "\"v1\""));

        Assert.Equal(HttpStatusCode.NotModified, conditional.Status);
        Assert.Equal($"Hit from {EdgeHarness.Location}", conditional.XCache);
        Assert.Equal(1, origin.Count);
    }

    [Fact]
    public async Task Get_50ConcurrentMisses_ExactlyOneOriginRequest()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var origin = await CacheOrigin.StartAsync(async (http, n) =>
        {
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(20));
            http.Response.Headers.CacheControl = "max-age=60";
            await http.Response.WriteAsync("collapsed");
        });
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));

        var requests = Enumerable.Range(0, 50).Select(_ => GetAsync(edge, "/hot")).ToArray();
        await Poll.UntilAsync(() => origin.Count >= 1 && Collapsed(edge) >= 49, "49 requests waiting on the one fill");
        gate.SetResult();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal("collapsed", r.Body));
        Assert.Equal(1, origin.Count);
        Assert.Equal(49, Collapsed(edge));
    }

    private static long Collapsed(EdgeHarness edge) =>
        edge.Server.GetCacheMetrics(EdgeHarness.Location).Behaviors.Sum(b => b.Collapsed);

    [Fact]
    public async Task Get_ExpiredWithETag_Revalidates304AsRefreshHit()
    {
        var time = new FakeTimeProvider(Start);
        await using var origin = await CacheOrigin.StartAsync((http, n) =>
        {
            http.Response.Headers.CacheControl = "max-age=10";
            http.Response.Headers.ETag = "\"v1\"";
            if (http.Request.Headers.IfNoneMatch == "\"v1\"")
            {
                http.Response.StatusCode = 304;
                return Task.CompletedTask;
            }

            return http.Response.WriteAsync("version one");
        });
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]), time);
        await GetAsync(edge, "/doc");
        time.Advance(TimeSpan.FromSeconds(11));

        var refreshed = await GetAsync(edge, "/doc");
        var after = await GetAsync(edge, "/doc");

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal("version one", refreshed.Body);
        Assert.Equal($"RefreshHit from {EdgeHarness.Location}", refreshed.XCache);
        Assert.Equal("\"v1\"", origin.Requests.Last().Headers["If-None-Match"]);
        Assert.Equal($"Hit from {EdgeHarness.Location}", after.XCache);
        Assert.Equal(2, origin.Count);
    }

    [Fact]
    public async Task Get_OriginErrorWithinStaleIfError_ServesStaleThenSkipsKnownDownOrigin()
    {
        var time = new FakeTimeProvider(Start);
        var status = 200;
        await using var origin = await CacheOrigin.StartAsync((http, n) =>
        {
            http.Response.StatusCode = status;
            http.Response.Headers.CacheControl = "max-age=1, stale-if-error=3600";
            return http.Response.WriteAsync(status == 200 ? "good copy" : "origin error");
        });
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]), time);
        await GetAsync(edge, "/page");
        time.Advance(TimeSpan.FromSeconds(5));
        status = 503;

        var stale = await GetAsync(edge, "/page");
        var countAfterFailure = origin.Count;
        var again = await GetAsync(edge, "/page");

        Assert.Equal(HttpStatusCode.OK, stale.Status);
        Assert.Equal("good copy", stale.Body);
        Assert.Equal("if-error", Header(stale.Response, "X-Meridian-Stale"));
        Assert.Equal(2, countAfterFailure);
        // The origin is now remembered unhealthy: the stale copy is served without trying it again.
        Assert.Equal("good copy", again.Body);
        Assert.Equal("if-error", Header(again.Response, "X-Meridian-Stale"));
        Assert.Equal(2, origin.Count);
        Assert.Equal(2, edge.Server.GetCacheMetrics(EdgeHarness.Location).Behaviors.Single().StaleServed);
    }

    [Fact]
    public async Task Get_OriginRefusesConnectionWithinStaleIfError_ServesStale()
    {
        var time = new FakeTimeProvider(Start);
        var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=1, stale-if-error=3600", "kept"));
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]), time);
        await GetAsync(edge, "/p");
        await origin.DisposeAsync();
        time.Advance(TimeSpan.FromSeconds(5));

        var stale = await GetAsync(edge, "/p");

        Assert.Equal(HttpStatusCode.OK, stale.Status);
        Assert.Equal("kept", stale.Body);
    }

    [Fact]
    public async Task Get_StaleWhileRevalidate_ServesStaleWithOneBackgroundRefresh()
    {
        var time = new FakeTimeProvider(Start);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var origin = await CacheOrigin.StartAsync(async (http, n) =>
        {
            if (n > 1)
            {
                await gate.Task.WaitAsync(TimeSpan.FromSeconds(20));
            }

            http.Response.Headers.CacheControl = "max-age=1, stale-while-revalidate=600";
            await http.Response.WriteAsync($"version {n}");
        });
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]), time);
        await GetAsync(edge, "/swr");
        time.Advance(TimeSpan.FromSeconds(5));

        var stale = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => GetAsync(edge, "/swr")));
        await Poll.UntilAsync(() => origin.Count == 2, "the background refresh reaching the origin");
        gate.SetResult();
        string? latest = null;
        await Poll.UntilAsync(async () => (latest = (await GetAsync(edge, "/swr")).Body) != "version 1",
            "the refreshed copy", timeoutMs: 30_000);

        Assert.Equal("version 2", latest);
        Assert.All(stale, r => Assert.Equal("version 1", r.Body));
        Assert.All(stale, r => Assert.Equal("while-revalidate", Header(r.Response, "X-Meridian-Stale")));
        Assert.Equal(2, origin.Count);
    }

    [Theory]
    [InlineData("max-age=60", true)]
    [InlineData("private, max-age=60", false)]
    public async Task Get_SetCookieOrPrivate_NotServedToAnotherClient(string cacheControl, bool setCookie)
    {
        await using var origin = await CacheOrigin.StartAsync((http, n) =>
        {
            http.Response.Headers.CacheControl = cacheControl;
            if (setCookie)
            {
                http.Response.Headers.SetCookie = $"session=user{n}";
            }

            return http.Response.WriteAsync($"for user {n}");
        });
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));

        var first = await GetAsync(edge, "/me");
        var second = await GetAsync(edge, "/me");

        Assert.Equal("for user 1", first.Body);
        Assert.Equal("for user 2", second.Body);
        Assert.Equal($"Miss from {EdgeHarness.Location}", second.XCache);
        Assert.Equal(2, origin.Count);
    }

    [Fact]
    public async Task Get_XForwardedHostPoisoning_NotReflectedIntoCache()
    {
        await using var origin = await CacheOrigin.StartAsync((http, n) =>
        {
            http.Response.Headers.CacheControl = "max-age=60";
            return http.Response.WriteAsync($"<a href=\"https://{http.Request.Headers["X-Forwarded-Host"]}/login\">");
        });
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));

        var attack = await GetAsync(edge, "/home", r => r.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example"));
        var victim = await GetAsync(edge, "/home");

        Assert.DoesNotContain("evil.example", attack.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", victim.Body, StringComparison.Ordinal);
        Assert.Contains(EdgeHarness.Alias, victim.Body, StringComparison.Ordinal);
        Assert.Equal($"Hit from {EdgeHarness.Location}", victim.XCache);
    }

    [Fact]
    public async Task Invalidate_CachedPaths_NextRequestIsMiss()
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=600", "v{n}"));
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));
        await GetAsync(edge, "/images/a.png");
        await GetAsync(edge, "/images/b.png");
        await GetAsync(edge, "/other");

        var result = edge.Server.Invalidate("site", ["/images/*"]);
        var a = await GetAsync(edge, "/images/a.png");
        var other = await GetAsync(edge, "/other");

        Assert.Equal(2, result.Invalidated);
        Assert.Equal(["/images/*"], result.Paths);
        Assert.False(string.IsNullOrEmpty(result.Id));
        Assert.Equal($"Miss from {EdgeHarness.Location}", a.XCache);
        Assert.Equal($"Hit from {EdgeHarness.Location}", other.XCache);
        Assert.Equal(4, origin.Count);
    }

    [Fact]
    public async Task Get_RedirectToHttpsBehavior_Returns301()
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=60"));
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin],
            [CacheOrigin.Behavior("*", b => b with { ViewerProtocol = ViewerProtocolPolicy.RedirectToHttps })]));

        var response = await GetAsync(edge, "/x?y=1");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.Status);
        Assert.Equal($"https://{EdgeHarness.Alias}/x?y=1", response.Response.Headers.Location?.ToString());
        Assert.Equal(0, origin.Count);
    }

    [Fact]
    public async Task Get_HttpsOnlyBehavior_Returns403()
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=60"));
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin],
            [CacheOrigin.Behavior("/secure/*", b => b with { ViewerProtocol = ViewerProtocolPolicy.HttpsOnly }), CacheOrigin.Behavior("*")]));

        var secure = await GetAsync(edge, "/secure/x");
        var open = await GetAsync(edge, "/open");

        Assert.Equal(HttpStatusCode.Forbidden, secure.Status);
        Assert.Equal(HttpStatusCode.OK, open.Status);
        Assert.Equal(1, origin.Count);
    }

    [Fact]
    public async Task Get_GzipAndIdentity_CachedAsSeparateVariants()
    {
        var text = string.Concat(Enumerable.Repeat("compressible text ", 200));
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=60", text));
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin],
            [CacheOrigin.Behavior("*", b => b with { Compress = true })]));
        static void Gzip(HttpRequestMessage r) => r.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");

        var gzip1 = await GetBytesAsync(edge, Gzip);
        var identity1 = await GetAsync(edge, "/");
        var gzip2 = await GetBytesAsync(edge, Gzip);
        var identity2 = await GetAsync(edge, "/");

        Assert.Equal("gzip", gzip1.Encoding);
        Assert.Equal(text, Gunzip(gzip1.Body));
        Assert.Equal(text, identity1.Body);
        Assert.Null(Header(identity1.Response, "Content-Encoding"));
        Assert.Equal("gzip", gzip2.Encoding);
        Assert.Equal($"Hit from {EdgeHarness.Location}", gzip2.XCache);
        Assert.Equal(text, Gunzip(gzip2.Body));
        Assert.Equal($"Hit from {EdgeHarness.Location}", identity2.XCache);
        Assert.Equal(text, identity2.Body);
        Assert.Equal(2, origin.Count);
        Assert.All(origin.Requests, r => Assert.False(r.Headers.ContainsKey("Accept-Encoding") && r.Headers["Accept-Encoding"].Length == 0));
    }

    private static async Task<(byte[] Body, string? Encoding, string? XCache)> GetBytesAsync(EdgeHarness edge, Action<HttpRequestMessage> configure)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var request = new HttpRequestMessage(HttpMethod.Get, edge.BaseUri);
        request.Headers.Host = EdgeHarness.Alias;
        configure(request);
        using var response = await client.SendAsync(request);
        return (await response.Content.ReadAsByteArrayAsync(), Header(response, "Content-Encoding"), Header(response, "X-Cache"));
    }

    private static string Gunzip(byte[] data)
    {
        using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var reader = new StreamReader(input);
        return reader.ReadToEnd();
    }

    [Theory]
    [InlineData("max-age=0")]
    [InlineData("no-store")]
    public async Task Get_DynamicEndpointMinTtl0_MissEveryTime(string cacheControl)
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text(cacheControl, "now {n}"));
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));

        var responses = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var r = await GetAsync(edge, "/api/now");
            Assert.Equal($"now {i + 1}", r.Body);
            responses.Add(r.XCache);
        }

        Assert.All(responses, x => Assert.Equal($"Miss from {EdgeHarness.Location}", x));
        Assert.Equal(3, origin.Count);
    }

    [Fact]
    public async Task Get_CachedErrorWithinErrorCachingMinTtl_ErrorFromCache()
    {
        await using var origin = await CacheOrigin.StartAsync((http, n) =>
        {
            http.Response.StatusCode = 404;
            return http.Response.WriteAsync("missing");
        });
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin],
            errorCaching: new Dictionary<int, TimeSpan> { [404] = TimeSpan.FromSeconds(30) }));

        var first = await GetAsync(edge, "/nope");
        var second = await GetAsync(edge, "/nope");

        Assert.Equal(HttpStatusCode.NotFound, second.Status);
        Assert.Equal($"Error from {EdgeHarness.Location}", first.XCache);
        Assert.Equal($"Error from {EdgeHarness.Location}", second.XCache);
        Assert.Equal("missing", second.Body);
        Assert.Equal(1, origin.Count);
    }

    [Fact]
    public async Task Head_AfterGet_HitWithoutBody()
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=60", "twelve bytes"));
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));
        await GetAsync(edge, "/h");

        var head = await GetAsync(edge, "/h", method: HttpMethod.Head);

        Assert.Equal(HttpStatusCode.OK, head.Status);
        Assert.Equal($"Hit from {EdgeHarness.Location}", head.XCache);
        Assert.Equal(12, head.Response.Content.Headers.ContentLength);
        Assert.Equal("", head.Body);
        Assert.Equal(1, origin.Count);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(300_000)]
    public async Task Head_Miss_FetchedAsGetAndStoredForTheNextGet(int size)
    {
        var body = new string('h', size);
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=60", body));
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));

        var head = await GetAsync(edge, "/head-first", method: HttpMethod.Head);
        var headAgain = await GetAsync(edge, "/head-first", method: HttpMethod.Head);
        var get = await GetAsync(edge, "/head-first");

        Assert.Equal((HttpStatusCode.OK, $"Miss from {EdgeHarness.Location}", ""), (head.Status, head.XCache, head.Body));
        Assert.Equal(size, head.Response.Content.Headers.ContentLength);
        Assert.Equal(($"Hit from {EdgeHarness.Location}", ""), (headAgain.XCache, headAgain.Body));
        Assert.Equal(($"Hit from {EdgeHarness.Location}", body), (get.XCache, get.Body));
        Assert.Equal(["GET"], origin.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task Head_MissOfUncacheableAnswer_ViewerGetsHeadersOnly()
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("no-store", "private data"));
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));

        var head = await GetAsync(edge, "/nostore", method: HttpMethod.Head);
        var get = await GetAsync(edge, "/nostore");

        Assert.Equal((HttpStatusCode.OK, "", 12L), (head.Status, head.Body, head.Response.Content.Headers.ContentLength));
        Assert.Equal(($"Miss from {EdgeHarness.Location}", "private data"), (get.XCache, get.Body));
        Assert.Equal(2, origin.Count);
    }

    [Fact]
    public async Task Invalidate_TwoLocations_RemovedAtBoth()
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=600", "v{n}"));
        var config = CacheOrigin.Config([origin]);
        var second = new EdgeLocationConfig("second-loc", "r2", [new IPEndPoint(IPAddress.Loopback, 0)], SourceLocation.None);
        config = config with { Locations = [config.Locations[0], second] };
        await using var edge = await EdgeHarness.StartAsync(config);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        async Task<string?> GetAt(IPEndPoint endpoint)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"http://{endpoint}/index.html");
            request.Headers.Host = EdgeHarness.Alias;
            using var response = await client.SendAsync(request);
            return Header(response, "X-Cache");
        }

        var secondEndpoint = edge.Server.Endpoints["second-loc"][0];
        await GetAt(edge.Endpoint);
        await GetAt(secondEndpoint);

        var result = edge.Server.Invalidate("site", ["/index.html"]);

        Assert.Equal(2, result.Invalidated);
        Assert.Equal($"Miss from {EdgeHarness.Location}", await GetAt(edge.Endpoint));
        Assert.Equal("Miss from second-loc", await GetAt(secondEndpoint));
        Assert.Equal(0, edge.Server.Invalidate("other-distribution", ["/*"]).Invalidated);
        Assert.Equal(2, edge.Server.GetCacheMetrics().Count);
    }
}
