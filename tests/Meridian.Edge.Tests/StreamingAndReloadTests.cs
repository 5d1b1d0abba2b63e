using System.Net;
using System.Text;
using Meridian.Topology.Model;

namespace Meridian.Edge.Tests;

public sealed class StreamingAndReloadTests
{
    [Fact]
    public async Task Get_AfterFailover_BodyIsStreamedNotBuffered()
    {
        await using var primary = await TestOrigin.StartAsync("primary", 503);
        await using var secondary = await TestOrigin.StartAsync("secondary");
        await using var edge = await EdgeHarness.StartAsync(EdgeHarness.Config(
            [EdgeHarness.Origin("primary", primary.Url), EdgeHarness.Origin("secondary", secondary.Url)]));
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge.BaseUri, "/stream"));
        request.Headers.Host = EdgeHarness.Alias;

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64];
        var first = Encoding.ASCII.GetString(buffer, 0, await body.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

        // The first chunk arrived while the origin is still holding back the rest.
        Assert.Equal("part1;", first);
        secondary.StreamGate.SetResult();
        using var reader = new StreamReader(body);
        Assert.Equal("part2", await reader.ReadToEndAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Apply_NewLocation_StartsItsListener()
    {
        await using var origin = await TestOrigin.StartAsync("origin");
        var config = EdgeHarness.Config([EdgeHarness.Origin("origin", origin.Url)]);
        await using var edge = await EdgeHarness.StartAsync(config);
        var added = new EdgeLocationConfig("second-loc", null, [new IPEndPoint(IPAddress.Loopback, 0)], SourceLocation.None);

        edge.Server.Apply(config with { Locations = [.. config.Locations, added] });
        await edge.Server.Reconciling.WaitAsync(TimeSpan.FromSeconds(10));

        var endpoint = Assert.Single(edge.Server.Endpoints["second-loc"]);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{endpoint}/");
        request.Headers.Host = EdgeHarness.Alias;
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("second-loc", response.Headers.GetValues("X-Edge-Location").Single());
        Assert.Equal(1, edge.Server.GetMetrics("second-loc").Requests);
    }

    [Fact]
    public async Task Apply_UnchangedOrigin_KeepsRememberedHealth()
    {
        await using var primary = await TestOrigin.StartAsync("primary", 503);
        await using var secondary = await TestOrigin.StartAsync("secondary");
        var config = EdgeHarness.Config([EdgeHarness.Origin("primary", primary.Url), EdgeHarness.Origin("secondary", secondary.Url)]);
        await using var edge = await EdgeHarness.StartAsync(config);
        using (await edge.GetAsync())
        {
        }

        edge.Server.Apply(config with { Distributions = [config.Distributions[0] with { Aliases = [EdgeHarness.Alias, "b.example.test"] }] });

        Assert.Equal(EdgeOriginStatus.Unhealthy, edge.Server.GetOriginHealth().Single(h => h.Origin == "primary").Status);
        using var response = await edge.GetAsync();
        Assert.Equal("secondary", response.Headers.GetValues("X-Edge-Origin").Single());
        Assert.Single(primary.Requests);
    }

    [Fact]
    public async Task Apply_OriginReplacedDuringStreamingResponse_ResponseCompletes()
    {
        await using var origin = await TestOrigin.StartAsync("origin");
        await using var other = await TestOrigin.StartAsync("other");
        var config = EdgeHarness.Config([EdgeHarness.Origin("origin", origin.Url)]);
        await using var edge = await EdgeHarness.StartAsync(config);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edge.BaseUri, "/stream"));
        request.Headers.Host = EdgeHarness.Alias;
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64];
        Assert.Equal(6, await body.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

        // The origin's URL changes: a new runtime replaces it while this response is still streaming.
        edge.Server.Apply(config with
        {
            Distributions = [config.Distributions[0] with { Origins = [EdgeHarness.Origin("origin", other.Url)] }],
        });
        origin.StreamGate.SetResult();

        using var reader = new StreamReader(body);
        Assert.Equal("part2", await reader.ReadToEndAsync());
        using var next = await edge.GetAsync();
        Assert.Equal("other", next.Headers.GetValues("X-Served-By").Single());
    }
}
