using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Meridian.Edge.Tests.Caching.Integration;

/// <summary>
/// Bounded fuzz of viewer requests over raw TCP against a caching edge: malformed methods, paths, headers, bodies and
/// framing. Every request gets an HTTP answer (4xx for bad input), the edge keeps serving, and no answer to a bad
/// request is cached for the good requests that follow.
/// </summary>
public sealed partial class CacheRequestFuzzTests
{
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "BREW", "G\u00c9T", "get", ""];
    private static readonly string[] Versions = ["HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1x", ""];
    private static readonly string[] ExtraHeaders =
    [
        "Accept-Encoding: gzip;q=abc, br;q=0, *", "Cookie: a=1; =; ;b", "If-None-Match: \"x", "If-Modified-Since: yesterday",
        "Range: bytes=5-1", "Transfer-Encoding: chunked", "Content-Length: 5", "Content-Length: -1", "Content-Length: 3, 4",
        "X-Forwarded-Host: evil.test", " folded: header", "Bad Header: x", "X-Nul: a\0b", "Host: other.test",
        "Cache-Control: no-cache", "Pragma: no-cache", "X-Long: " + new string('y', 40_000),
    ];

    [GeneratedRegex(@"^HTTP/1\.[01] \d{3} ")]
    private static partial Regex StatusLine();

    [Fact]
    public async Task RawRequests_Mutated_AlwaysAnsweredNeverCachedForOthers()
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("public, max-age=300", "ok"));
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin]));
        var random = new Random(1126);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var sent = 0;
        for (var i = 0; i < 300 && clock.Elapsed < TimeSpan.FromSeconds(30); i++, sent++)
        {
            var path = $"/f{random.Next(20)}" + (random.Next(6) == 0 ? "/%00/../x?q=" + random.Next(3) : "");
            paths.Add(path.Split('?')[0]);
            var request = new StringBuilder();
            request.Append(Methods[random.Next(Methods.Length)]).Append(' ').Append(path).Append(' ').Append(Versions[random.Next(Versions.Length)]).Append("\r\n");
            if (random.Next(8) != 0)
            {
                request.Append("Host: ").Append(EdgeHarness.Alias).Append("\r\n");
            }

            for (var h = random.Next(4); h > 0; h--)
            {
                request.Append(ExtraHeaders[random.Next(ExtraHeaders.Length)]).Append("\r\n");
            }

            request.Append("Connection: close\r\n\r\n");
            if (random.Next(3) == 0)
            {
                request.Append(random.Next(2) == 0 ? "5\r\nhello\r\n0\r\n\r\n" : "zz\r\nnot-a-chunk");
            }

            var answer = await SendRawAsync(edge.Endpoint, request.ToString());
            Assert.True(answer.Length == 0 || StatusLine().IsMatch(answer), $"request {i}: unexpected answer '{answer[..Math.Min(80, answer.Length)]}' to:\n{request}");
        }

        Assert.True(sent > 0);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        foreach (var path in paths)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(edge.BaseUri, path));
            message.Headers.Host = EdgeHarness.Alias;
            using var response = await client.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK && body == "ok", $"{path}: {(int)response.StatusCode} '{body}' after the fuzz");
        }
    }

    /// <summary>Sends raw bytes and reads until the server closes (or 5 s): the status line, or "" when it just closed.</summary>
    private static async Task<string> SendRawAsync(IPEndPoint endpoint, string raw)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint);
        var stream = tcp.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(raw), timeout.Token);
            tcp.Client.Shutdown(SocketShutdown.Send);
            var buffer = new byte[4096];
            var text = new StringBuilder();
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0 && text.Length < 64 * 1024)
            {
                text.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }

            return text.ToString();
        }
        catch (IOException)
        {
            return ""; // reset by the server after an answer it already sent or for a framing error: allowed
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no answer within 5 s to:\n{raw[..Math.Min(400, raw.Length)]}");
        }
    }
}
