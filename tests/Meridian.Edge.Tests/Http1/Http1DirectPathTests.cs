using System.Net;
using Meridian.Topology.Model;

namespace Meridian.Edge.Tests.Http1;

/// <summary>
/// The edge's direct HTTP/1.1 path (body-less GET/HEAD/OPTIONS to plain-HTTP origins) against an origin that sends exact
/// bytes: connection reuse, a stale pooled connection, every body framing, interim responses, malformed answers.
/// </summary>
public sealed class Http1DirectPathTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Length: 2\r\n\r\nok";

    /// <summary>Caching disabled for every path: each GET goes to the origin through the direct path.</summary>
    private static EdgeConfig Uncached(params OriginConfig[] origins)
    {
        var config = EdgeHarness.Config(origins);
        var distribution = config.Distributions[0];
        var behavior = new CacheBehaviorConfig
        {
            PathPattern = "*",
            Target = distribution.Target,
            CachingDisabled = true,
            AllowedMethods = AllowedMethods.All,
        };
        return config with { Distributions = [distribution with { Behaviors = [behavior] }] };
    }

    /// <summary>Connections the direct path opened to <paramref name="origin"/>: 0 means YARP carried every request.</summary>
    private static long Opened(EdgeHarness edge, string origin = "primary") =>
        edge.Server.GetMetrics(EdgeHarness.Location).Origins.Single(o => o.Origin == origin).ConnectionsOpened;

    private static async Task<(HttpStatusCode Status, string Body, string? Origin)> GetAsync(EdgeHarness edge, string path = "/")
    {
        using var response = await edge.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body, response.Headers.TryGetValues("X-Edge-Origin", out var v) ? v.Single() : null);
    }

    [Fact]
    public async Task Get_SequentialRequests_OneKeptAliveConnection()
    {
        await using var origin = ScriptedOrigin.Start((_, _) => (Ok, false));
        await using var edge = await EdgeHarness.StartAsync(Uncached(EdgeHarness.Origin("primary", origin.Url)));

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal((HttpStatusCode.OK, "ok", "primary"), await GetAsync(edge));
        }

        Assert.Equal(1, origin.Connections);
        Assert.Equal(1, Opened(edge));
    }

    [Fact]
    public async Task Get_OriginClosedPooledConnection_RetriedOnceOnAFreshOne()
    {
        // The origin answers and then closes without saying so (an idle timeout racing the next request).
        await using var origin = ScriptedOrigin.Start((_, _) => (Ok, true));
        await using var edge = await EdgeHarness.StartAsync(Uncached(EdgeHarness.Origin("primary", origin.Url)));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal((HttpStatusCode.OK, "ok", "primary"), await GetAsync(edge));
        }

        Assert.Equal(3, origin.Requests.Count); // each request reached the origin once
        Assert.Equal(3, origin.Connections);
        Assert.Equal(3, Opened(edge));
    }

    [Fact]
    public async Task Get_ChunkedWithExtensionsAndTrailers_WholeBodyAndConnectionReused()
    {
        const string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
            + "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Sum: 12\r\n\r\n";
        await using var origin = ScriptedOrigin.Start((_, _) => (chunked, false));
        await using var edge = await EdgeHarness.StartAsync(Uncached(EdgeHarness.Origin("primary", origin.Url)));

        Assert.Equal("hello, world", (await GetAsync(edge)).Body);
        Assert.Equal("hello, world", (await GetAsync(edge)).Body);
        Assert.Equal(1, origin.Connections);
        Assert.Equal(1, Opened(edge));
    }

    [Fact]
    public async Task Get_BodyDelimitedByClose_WholeBodyAndNextRequestOnANewConnection()
    {
        await using var origin = ScriptedOrigin.Start((n, _) => ($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nbody {n} until close", true));
        await using var edge = await EdgeHarness.StartAsync(Uncached(EdgeHarness.Origin("primary", origin.Url)));

        Assert.Equal("body 1 until close", (await GetAsync(edge)).Body);
        Assert.Equal("body 2 until close", (await GetAsync(edge)).Body);
        Assert.Equal(2, Opened(edge));
    }

    [Fact]
    public async Task Get_InterimResponses_SkippedAndFinalAnswerForwarded()
    {
        const string answer = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </app.css>; rel=preload\r\n\r\n" + Ok;
        await using var origin = ScriptedOrigin.Start((_, _) => (answer, false));
        await using var edge = await EdgeHarness.StartAsync(Uncached(EdgeHarness.Origin("primary", origin.Url)));

        Assert.Equal((HttpStatusCode.OK, "ok", "primary"), await GetAsync(edge));
        Assert.Equal((HttpStatusCode.OK, "ok", "primary"), await GetAsync(edge));
        Assert.Equal(1, Opened(edge));
    }

    [Theory]
    [InlineData("garbage\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 30\r\n\r\nok")] // response splitting attempt
    [InlineData("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Le")] // closed inside the head
    public async Task Get_MalformedAnswer_FailsOverToTheNextMember(string answer)
    {
        await using var bad = ScriptedOrigin.Start((_, _) => (answer, true));
        await using var good = ScriptedOrigin.Start((_, _) => (Ok, false));
        await using var edge = await EdgeHarness.StartAsync(Uncached(EdgeHarness.Origin("primary", bad.Url), EdgeHarness.Origin("secondary", good.Url)));

        Assert.Equal((HttpStatusCode.OK, "ok", "secondary"), await GetAsync(edge));
        Assert.Equal(1, Opened(edge, "primary"));
    }

    [Fact]
    public async Task Get_MalformedAnswerFromTheOnlyOrigin_BadGateway()
    {
        await using var bad = ScriptedOrigin.Start((_, _) => ("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", true));
        await using var edge = await EdgeHarness.StartAsync(Uncached(EdgeHarness.Origin("primary", bad.Url)));

        Assert.Equal(HttpStatusCode.BadGateway, (await GetAsync(edge)).Status);
    }

    [Fact]
    public async Task Get_OriginClosesMidBody_ViewerDoesNotGetATruncatedBodyAsWhole()
    {
        await using var origin = ScriptedOrigin.Start((_, _) => ("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b", true));
        await using var edge = await EdgeHarness.StartAsync(Uncached(EdgeHarness.Origin("primary", origin.Url)));

        // Headers were sent before the body broke: the viewer's connection is aborted, so its client sees an error.
        await Assert.ThrowsAnyAsync<Exception>(async () => await GetAsync(edge));
    }

    [Fact]
    public async Task Head_ContentLength_HeadersOnlyAndConnectionReused()
    {
        await using var origin = ScriptedOrigin.Start((_, head) => (head.StartsWith("HEAD", StringComparison.Ordinal)
            ? "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"
            : Ok, false));
        await using var edge = await EdgeHarness.StartAsync(Uncached(EdgeHarness.Origin("primary", origin.Url)));

        using (var head = await edge.SendAsync(HttpMethod.Head, "/file"))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(1234, head.Content.Headers.ContentLength);
        }

        Assert.Equal((HttpStatusCode.OK, "ok", "primary"), await GetAsync(edge));
        Assert.Equal(1, origin.Connections);
        Assert.Equal(1, Opened(edge));
    }

    [Fact]
    public async Task Get_DirectPathAndYarpPath_OriginGetsTheSameHeaders()
    {
        // With the cache on, the first GET is a miss filled through YARP; its no-store answer marks the key, so the
        // second is a pass and takes the direct path (a second connection). The origin must not see a difference.
        await using var origin = ScriptedOrigin.Start((_, _) => (Ok, false));
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config([EdgeHarness.Origin("primary", origin.Url)]));
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge.BaseUri, "/a%20b/x?q=1"));
            request.Headers.Host = EdgeHarness.Alias;
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7");
            request.Headers.TryAddWithoutValidation("Via", "1.1 upstream");
            request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.test");
            request.Headers.TryAddWithoutValidation("Cookie", "a=1");
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, br");
            request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
            request.Headers.TryAddWithoutValidation("X-Custom", "kept?");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var requests = origin.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.NotEqual(requests[0].Connection, requests[1].Connection);
        Assert.Equal(1, Opened(edge)); // the second request only
        Assert.Equal(Lines(requests[0].Head), Lines(requests[1].Head));
        Assert.Contains("x-forwarded-for: 203.0.113.7, 127.0.0.1", Lines(requests[1].Head));
        Assert.Contains($"via: 1.1 upstream, 1.1 {EdgeHarness.Location} (Meridian)", Lines(requests[1].Head));

        static string[] Lines(string head) => head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Contains(':', StringComparison.Ordinal) && !l.StartsWith("GET ", StringComparison.Ordinal)
                ? l[..l.IndexOf(':', StringComparison.Ordinal)].ToLowerInvariant() + l[l.IndexOf(':', StringComparison.Ordinal)..]
                : l)
            .Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public async Task Get_FailoverStatusFromPrimary_SuppressedAndSecondaryAnswers()
    {
        await using var primary = ScriptedOrigin.Start((_, _) => ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\ndown", false));
        await using var secondary = ScriptedOrigin.Start((_, _) => (Ok, false));
        await using var edge = await EdgeHarness.StartAsync(Uncached(EdgeHarness.Origin("primary", primary.Url), EdgeHarness.Origin("secondary", secondary.Url)));

        Assert.Equal((HttpStatusCode.OK, "ok", "secondary"), await GetAsync(edge));
        Assert.Equal((1, 1), (Opened(edge, "primary"), Opened(edge, "secondary")));
    }

    [Fact]
    public async Task Get_ConcurrentRequestsOfMixedFramingAndSize_EachViewerGetsItsOwnBody()
    {
        // Bodies from 0 to ~100 KiB (past the 32 KiB receive buffer), chunked or with a length, on pooled connections used
        // by 16 viewers at once: a connection handed back with unread bytes would show up as another request's body.
        static string Body(int n) => string.Concat(Enumerable.Repeat($"<{n}>", n * 37 % 9000));
        await using var origin = ScriptedOrigin.Start((_, head) =>
        {
            var n = int.Parse(head.Split(' ')[1].TrimStart('/'), System.Globalization.CultureInfo.InvariantCulture);
            var body = Body(n);
            if (n % 2 == 0)
            {
                return ($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n{body}", false);
            }

            var chunks = string.Concat(body.Chunk(7001).Select(c => $"{c.Length:x}\r\n{new string(c)}\r\n"));
            return ($"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{chunks}0\r\n\r\n", false);
        });
        await using var edge = await EdgeHarness.StartAsync(Uncached(EdgeHarness.Origin("primary", origin.Url)));

        await Parallel.ForEachAsync(Enumerable.Range(0, 16), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (viewer, _) =>
        {
            for (var i = 0; i < 12; i++)
            {
                var n = viewer * 100 + i;
                var (status, body, _) = await GetAsync(edge, $"/{n}");
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal(Body(n), body);
            }
        });

        Assert.InRange(Opened(edge), 1, 16);
    }

    [Fact]
    public async Task Get_OriginSendsBytesAfterItsAnswer_ConnectionNotReusedForTheNextViewer()
    {
        // A broken origin: a second "response" nobody asked for, arriving after the first was read. Reused, the
        // connection would hand it to the next viewer as its answer.
        await using var origin = ScriptedOrigin.Start((n, _) => (Ok, false));
        origin.Trailing = n => n == 1 ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nWRONG" : null;
        await using var edge = await EdgeHarness.StartAsync(Uncached(EdgeHarness.Origin("primary", origin.Url)));

        Assert.Equal("ok", (await GetAsync(edge)).Body);
        await origin.TrailingSent.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("ok", (await GetAsync(edge)).Body);
        Assert.Equal(2, Opened(edge));
    }

    [Fact]
    public async Task Get_BodyStallsAfterSomeBytes_ViewerConnectionAbortedAtTheIdleTimeout()
    {
        // Idle timeout on the direct path = attempts × connection timeout + response timeout (YARP's activity timeout).
        await using var origin = ScriptedOrigin.Start((_, _) => ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", false));
        await using var edge = await EdgeHarness.StartAsync(Uncached(EdgeHarness.Origin("primary", origin.Url,
            o => o with { ConnectionTimeout = TimeSpan.FromMilliseconds(200), ResponseTimeout = TimeSpan.FromMilliseconds(300) })));

        // An abort, not the test client's own 30 s timeout (which would be a TaskCanceledException).
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await GetAsync(edge));
        Assert.IsNotType<TaskCanceledException>(error);
    }

    [Fact]
    public async Task Get_BodyStallsBeforeItsFirstByte_BadGatewayNotAnAbort()
    {
        await using var origin = ScriptedOrigin.Start((_, _) => ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", false));
        await using var edge = await EdgeHarness.StartAsync(Uncached(EdgeHarness.Origin("primary", origin.Url,
            o => o with { ConnectionTimeout = TimeSpan.FromMilliseconds(200), ResponseTimeout = TimeSpan.FromMilliseconds(300) })));

        Assert.Equal(HttpStatusCode.BadGateway, (await GetAsync(edge)).Status);
    }

    [Fact]
    public async Task Get_NonStandardReasonPhrase_RelayedToTheViewer()
    {
        await using var origin = ScriptedOrigin.Start((_, _) => ("HTTP/1.1 200 Fine Thanks\r\nContent-Length: 2\r\n\r\nok", false));
        await using var edge = await EdgeHarness.StartAsync(Uncached(EdgeHarness.Origin("primary", origin.Url)));

        using var response = await edge.GetAsync();

        Assert.Equal("Fine Thanks", response.ReasonPhrase);
        Assert.Equal(1, Opened(edge));
    }
}
