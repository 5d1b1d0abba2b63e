using System.Net;
using System.Net.Sockets;
using System.Text;
using Meridian.Topology.Model;

namespace Meridian.Edge.Tests;

public sealed class RoutingAndHeadersTests
{
    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Fact]
    public async Task Get_UnknownHost_Returns421()
    {
        await using var origin = await TestOrigin.StartAsync("origin");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config([EdgeHarness.Origin("origin", origin.Url)]));

        using var response = await edge.GetAsync(host: "other.example.test");

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        Assert.Contains("No distribution", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(EdgeHarness.Location, Header(response, "X-Edge-Location"));
        Assert.Empty(origin.Requests);
        Assert.Equal(1, edge.Server.GetMetrics(EdgeHarness.Location).Misdirected);
    }

    [Fact]
    public async Task Get_DistributionRestrictedToOtherLocation_Returns421()
    {
        await using var origin = await TestOrigin.StartAsync("origin");
        var config = EdgeHarness.Config([EdgeHarness.Origin("origin", origin.Url)]);
        config = config with { Distributions = [config.Distributions[0] with { Locations = ["elsewhere"] }] };
        await using var edge = await EdgeHarness.StartAsync(config);

        using var response = await edge.GetAsync();

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        Assert.Empty(origin.Requests);
    }

    [Theory]
    [InlineData("WWW.Example.TEST")]
    [InlineData("www.example.test:8080")]
    [InlineData("www.example.test.")]
    public async Task Get_AliasInAnyCaseOrWithPort_Matches(string host)
    {
        await using var origin = await TestOrigin.StartAsync("origin");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config([EdgeHarness.Origin("origin", origin.Url)]));

        using var response = await edge.GetAsync(host: host);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("origin", Header(response, "X-Edge-Origin"));
    }

    [Fact]
    public async Task Get_Forwarded_SetsForwardedHeadersAndVia()
    {
        await using var origin = await TestOrigin.StartAsync("origin");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.QueryInKey(EdgeHarness.Config([EdgeHarness.Origin("origin", origin.Url)])));
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge.BaseUri, "/a/b?c=d"));
        request.Headers.Host = EdgeHarness.Alias;
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("Via", "1.1 client-proxy");
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(EdgeHarness.Location, Header(response, "X-Edge-Location"));
        Assert.Equal("origin", Header(response, "X-Edge-Origin"));
        var seen = Assert.Single(origin.Requests);
        Assert.Equal("/a/b?c=d", seen.PathAndQuery);
        Assert.Equal("203.0.113.7, 127.0.0.1", seen.Headers["X-Forwarded-For"]);
        Assert.Equal("http", seen.Headers["X-Forwarded-Proto"]);
        Assert.Equal(EdgeHarness.Alias, seen.Headers["X-Forwarded-Host"]);
        Assert.Equal($"1.1 client-proxy, 1.1 {EdgeHarness.Location} (Meridian)", seen.Headers["Via"]);
        Assert.Equal(origin.Url.Authority, seen.Headers["Host"]);
    }

    [Fact]
    public async Task Get_OriginWithPath_PrefixesRequestPath()
    {
        await using var origin = await TestOrigin.StartAsync("origin");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config(
            [EdgeHarness.Origin("origin", new Uri(origin.Url, "/static/"))]));

        using var response = await edge.GetAsync("/img.png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/static/img.png", Assert.Single(origin.Requests).PathAndQuery);
    }

    [Fact]
    public async Task Get_HealthEndpoint_Returns200WithoutOrigin()
    {
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config([EdgeHarness.Origin("origin", ClosedPort.Url())]));

        using var response = await edge.GetAsync("/_meridian/edge/health", host: "anything");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_Metrics_CountRequestsOriginErrorsAndFailovers()
    {
        await using var primary = await TestOrigin.StartAsync("primary", 503);
        await using var secondary = await TestOrigin.StartAsync("secondary");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config(
            [EdgeHarness.Origin("primary", primary.Url), EdgeHarness.Origin("secondary", secondary.Url)]));

        for (var i = 0; i < 3; i++)
        {
            using var response = await edge.GetAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var metrics = edge.Server.GetMetrics(EdgeHarness.Location);
        Assert.Equal(3, metrics.Requests);
        Assert.Equal(1, metrics.OriginErrors);
        Assert.Equal(1, metrics.Failovers);
        var p = Assert.Single(metrics.Origins, o => o.Origin == "primary");
        Assert.Equal((1L, 1L, EdgeOriginStatus.Unhealthy), (p.Requests, p.Errors, p.Health));
        var s = Assert.Single(metrics.Origins, o => o.Origin == "secondary");
        Assert.Equal((3L, 0L, EdgeOriginStatus.Healthy), (s.Requests, s.Errors, s.Health));
        Assert.Equal(metrics, Assert.Single(edge.Server.GetMetrics()) with { Origins = metrics.Origins });
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: www.example.test\r\nX-Big: {big}\r\n\r\n", 431)]
    public async Task Request_MalformedOrOversized_Gets4xxFromKestrel(string raw, int expected)
    {
        await using var origin = await TestOrigin.StartAsync("origin");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config([EdgeHarness.Origin("origin", origin.Url)]));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(edge.Endpoint);
        var stream = tcp.GetStream();

        await stream.WriteAsync(Encoding.ASCII.GetBytes(raw.Replace("{big}", new string('x', 64 * 1024), StringComparison.Ordinal)));
        var buffer = new byte[1024];
        var read = await stream.ReadAsync(buffer);

        Assert.StartsWith($"HTTP/1.1 {expected}", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
        using var healthy = await edge.GetAsync();
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    [Fact]
    public async Task StartAsync_AddressInUse_ThrowsNamingTheListenSetting()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var endpoint = (IPEndPoint)taken.LocalEndpoint;
        var config = EdgeHarness.Config([EdgeHarness.Origin("origin", ClosedPort.Url())]);
        config = config with { Locations = [new EdgeLocationConfig("busy", null, [endpoint], SourceLocation.None)] };
        await using var server = new EdgeServer(config, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => server.StartAsync(CancellationToken.None));

        Assert.Contains("edge.locations.busy.listen", error.Message, StringComparison.Ordinal);
        Assert.Contains(endpoint.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_NewAlias_ServedWithoutRestart()
    {
        await using var origin = await TestOrigin.StartAsync("origin");
        var config = EdgeHarness.Config([EdgeHarness.Origin("origin", origin.Url)]);
        await using var edge = await EdgeHarness.StartAsync(config);

        edge.Server.Apply(config with { Distributions = [config.Distributions[0] with { Aliases = ["new.example.test"] }] });

        using var added = await edge.GetAsync(host: "new.example.test");
        using var removed = await edge.GetAsync();
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, removed.StatusCode);
    }

    [Fact]
    public async Task Apply_UnknownTarget_ThrowsAndKeepsServing()
    {
        await using var origin = await TestOrigin.StartAsync("origin");
        var config = EdgeHarness.Config([EdgeHarness.Origin("origin", origin.Url)]);
        await using var edge = await EdgeHarness.StartAsync(config);

        var error = Assert.Throws<InvalidOperationException>(() =>
            edge.Server.Apply(config with { Distributions = [config.Distributions[0] with { Target = "nope" }] }));

        Assert.Contains("edge.distributions.site.target", error.Message, StringComparison.Ordinal);
        using var response = await edge.GetAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
