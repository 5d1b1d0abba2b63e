using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Meridian.Edge.Tests.Caching.Integration;

/// <summary>
/// Under the cache stage the client's bytes are flushed when the origin pauses, not after every write (one send per
/// chunked response): bodies must still arrive whole, cached or not, and a streaming origin's first bytes at once.
/// </summary>
public sealed class CacheStreamingTests
{
    private static byte[] Pattern(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)('a' + (i * 7 % 26)))];

    private static Func<HttpContext, int, Task> Body(string cacheControl, bool chunked) => async (http, n) =>
    {
        var size = int.Parse(http.Request.Path.Value!.TrimStart('/'), System.Globalization.CultureInfo.InvariantCulture);
        var body = Pattern(size);
        http.Response.Headers.CacheControl = cacheControl;
        http.Response.ContentType = "application/octet-stream";
        if (!chunked)
        {
            http.Response.ContentLength = body.Length;
            await http.Response.Body.WriteAsync(body);
            return;
        }

        var third = body.Length / 3;
        await http.Response.Body.WriteAsync(body.AsMemory(0, third));
        await http.Response.Body.WriteAsync(body.AsMemory(third, third));
        await http.Response.Body.WriteAsync(body.AsMemory(2 * third));
    };

    [Theory]
    [InlineData("no-store", false, 70_000)]
    [InlineData("no-store", true, 10)]
    [InlineData("no-store", true, 1_048_576)]
    [InlineData("max-age=60", false, 1_048_576)]
    [InlineData("max-age=60", true, 70_000)]
    public async Task Miss_BodyOfEveryShape_ArrivesWholeAndHitMatches(string cacheControl, bool chunked, int size)
    {
        await using var origin = await CacheOrigin.StartAsync(Body(cacheControl, chunked));
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));

        using var miss = await edge.GetAsync($"/{size}");
        using var second = await edge.GetAsync($"/{size}");

        Assert.Equal(HttpStatusCode.OK, miss.StatusCode);
        Assert.Equal(Pattern(size), await miss.Content.ReadAsByteArrayAsync());
        Assert.Equal(Pattern(size), await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(cacheControl == "no-store" ? "Miss" : "Hit", second.Headers.GetValues("X-Cache").Single().Split(' ')[0]);
    }

    [Theory]
    [InlineData("no-store")]
    [InlineData("max-age=60")]
    public async Task Miss_StreamingOrigin_FirstPartArrivesBeforeOriginFinishes(string cacheControl)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var origin = await CacheOrigin.StartAsync(async (http, n) =>
        {
            http.Response.Headers.CacheControl = cacheControl;
            await http.Response.WriteAsync("first");
            await http.Response.Body.FlushAsync();
            await gate.Task;
            await http.Response.WriteAsync("second");
        });
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge.BaseUri, "/stream"));
        request.Headers.Host = EdgeHarness.Alias;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
        await using var body = await response.Content.ReadAsStreamAsync(limit.Token);
        var first = new byte[5];
        await body.ReadExactlyAsync(first, limit.Token); // the origin still holds "second"
        gate.SetResult();
        using var rest = new MemoryStream();
        await body.CopyToAsync(rest, limit.Token);

        Assert.Equal("first", Encoding.ASCII.GetString(first));
        Assert.Equal("second", Encoding.ASCII.GetString(rest.ToArray()));
    }
}
