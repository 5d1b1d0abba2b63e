using System.Net;
using Microsoft.AspNetCore.Http;
using static Meridian.Edge.Tests.ResponseHeaders;

namespace Meridian.Edge.Tests.Caching.Integration;

/// <summary>
/// The pass path (<see cref="Meridian.Edge.Caching.PassHook"/>): a key marked hit-for-miss goes to the origin without the
/// fill machinery, and answers exactly as a miss does.
/// </summary>
public sealed class CachePassPathTests
{
    /// <summary>A no-store answer without Content-Length (chunked): "answer N" padded to <paramref name="size"/> characters.</summary>
    private static Func<HttpContext, int, Task> NoStoreChunked(int size = 0, string contentType = "text/plain") => async (http, n) =>
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.ContentType = contentType;
        await http.Response.WriteAsync($"answer {n}".PadRight(size, '.'));
        await http.Response.Body.FlushAsync();
    };

    [Fact]
    public async Task Get_MarkedKey_AnsweredAsAMissWithViaAndBytesCounted()
    {
        await using var origin = await CacheOrigin.StartAsync(NoStoreChunked());
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));
        using (await edge.GetAsync("/api")) // marks the key
        {
        }

        using var pass = await edge.GetAsync("/api");

        Assert.Equal(HttpStatusCode.OK, pass.StatusCode);
        Assert.Equal("answer 2", await pass.Content.ReadAsStringAsync());
        Assert.Equal($"Miss from {EdgeHarness.Location}", Header(pass, "X-Cache"));
        Assert.Contains($"1.1 {EdgeHarness.Location} (Meridian)", Header(pass, "Via"), StringComparison.Ordinal);
        Assert.Equal(EdgeHarness.Location, Header(pass, "X-Edge-Location"));
        Assert.True(pass.Headers.TransferEncodingChunked); // no Content-Length to count from: the forwarder's body counts
        var behavior = Assert.Single(edge.Server.GetCacheMetrics(EdgeHarness.Location).Behaviors);
        Assert.Equal((0L, 2L), (behavior.Hits, behavior.Misses));
        Assert.Equal(2 * "answer 1".Length, behavior.BytesFromOrigin);
        Assert.Equal(2, origin.Count);
    }

    [Fact]
    public async Task Get_MarkedKeyWithViewerQuery_OriginGetsOnlyTheKeysQuery()
    {
        await using var origin = await CacheOrigin.StartAsync(NoStoreChunked());
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin])); // default key: no query string
        using (await edge.GetAsync("/search?q=a"))
        {
        }

        using (await edge.GetAsync("/search?q=b"))
        {
        }

        Assert.All(origin.Requests, r => Assert.Equal("/search", r.PathAndQuery));
        Assert.Equal(2, origin.Requests.Count);
    }

    [Fact]
    public async Task Get_MarkedKeyForAViewerAcceptingGzip_StillCompressed()
    {
        // Compressible: a type on the list, 1,000 B to 10 MB, and a Content-Length (CloudFront's rules).
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("no-store", "answer {n}".PadRight(4000, '.'), ("Content-Type", "application/json")));
        var config = CacheOrigin.Config([origin], [CacheOrigin.Behavior("*", b => b with { Compress = true })]);
        await using var edge = await EdgeHarness.StartAsync(config);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = DecompressionMethods.None });
        async Task<HttpResponseMessage> GetGzipAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge.BaseUri, "/data"));
            request.Headers.Host = EdgeHarness.Alias;
            request.Headers.AcceptEncoding.ParseAdd("gzip");
            return await client.SendAsync(request);
        }

        using (await GetGzipAsync())
        {
        }

        using var second = await GetGzipAsync();

        Assert.Equal("gzip", Header(second, "Content-Encoding"));
        Assert.Equal($"Miss from {EdgeHarness.Location}", Header(second, "X-Cache"));
        await using var gzip = new System.IO.Compression.GZipStream(await second.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        Assert.StartsWith("answer 2", await reader.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_MarkedKey_ForwardedAsHead()
    {
        await using var origin = await CacheOrigin.StartAsync(NoStoreChunked());
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));
        using (await edge.GetAsync("/h"))
        {
        }

        using var head = await edge.SendAsync(HttpMethod.Head, "/h");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal($"Miss from {EdgeHarness.Location}", Header(head, "X-Cache"));
        Assert.Equal(["GET", "HEAD"], origin.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task Get_PassCutShortMidBody_MarkKeptUntilAWholeStorableAnswer()
    {
        var viewerHasHeaders = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var origin = await CacheOrigin.StartAsync(async (http, n) =>
        {
            http.Response.Headers.CacheControl = n == 1 ? "no-store" : "max-age=60";
            if (n == 2)
            {
                // Storable headers and part of the body; the origin dies only once the viewer has the headers (so the
                // edge has judged them), before the rest.
                http.Response.ContentLength = 100;
                await http.Response.WriteAsync("0123456789");
                await http.Response.Body.FlushAsync();
                await viewerHasHeaders.Task.WaitAsync(TimeSpan.FromSeconds(10));
                http.Abort();
                return;
            }

            await http.Response.WriteAsync($"answer {n}");
        });
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        async Task<string> XCacheAsync(int n)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge.BaseUri, "/k"));
            request.Headers.Host = EdgeHarness.Alias;
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var xcache = response.Headers.TryGetValues("X-Cache", out var xv) ? xv.Single().Split(" ")[0] : $"no X-Cache ({(int)response.StatusCode})";
            if (n == 2)
            {
                viewerHasHeaders.TrySetResult();
            }

            try
            {
                await response.Content.ReadAsStringAsync();
                return xcache;
            }
            catch (HttpRequestException)
            {
                return "cut " + xcache; // the body was cut short
            }
        }

        var results = new List<string>();
        for (var n = 1; n <= 5; n++)
        {
            results.Add(await XCacheAsync(n));
        }

        // 1 marks; 2 is a pass cut short (the mark stays); 3 is a pass that completes storable (the mark goes);
        // 4 is an ordinary miss, stored; 5 is a hit. Had 2 cleared the mark at its headers, 3 would have been stored and 4 a hit.
        Assert.Equal(["Miss", "cut Miss", "Miss", "Miss", "Hit"], results);
        Assert.Equal(4, origin.Count);
    }
}
