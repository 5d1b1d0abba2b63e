using System.Net;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Edge.Tests.Caching.Integration;

/// <summary>Each cache behaviour goes to its own target (an origin or an origin group), as CloudFront's behaviours do.</summary>
public sealed class CacheBehaviorTargetTests
{
    private static async Task<(HttpStatusCode Status, string Body, string? Origin)> GetAsync(EdgeServer edge, string path)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{edge.Endpoints[EdgeHarness.Location][0]}{path}"));
        request.Headers.Host = EdgeHarness.Alias;
        using var response = await client.SendAsync(request);
        var origin = response.Headers.TryGetValues("X-Edge-Origin", out var values) ? values.Single() : null;
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), origin);
    }

    private static EdgeConfig Config(CacheOrigin site, CacheOrigin api, CacheOrigin apiBackup)
    {
        var origins = new[]
        {
            EdgeHarness.Origin("site", site.Url),
            EdgeHarness.Origin("api", api.Url),
            EdgeHarness.Origin("api-backup", apiBackup.Url),
        };
        var config = EdgeHarness.Config(origins, target: "site");
        var distribution = config.Distributions[0] with
        {
            OriginGroups = [new OriginGroupConfig { Name = "api-group", Members = ["api", "api-backup"], FailoverOn = [500, 502, 503, 504] }],
            Target = "site",
            Behaviors =
            [
                CacheOrigin.Behavior("/api/*", b => b with { Target = "api-group", Ttl = new TtlConfig(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero) }),
                CacheOrigin.Behavior("/backup-only/*", b => b with { Target = "api-backup" }),
                CacheOrigin.Behavior("*", b => b with { Target = "site" }),
            ],
        };
        return config with { Distributions = [distribution] };
    }

    [Fact]
    public async Task Get_BehaviorTargets_EachPathGoesToItsBehaviorsTarget()
    {
        await using var site = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=60", "site"));
        await using var api = await CacheOrigin.StartAsync(CacheOrigin.Text("no-store", "api"));
        await using var backup = await CacheOrigin.StartAsync(CacheOrigin.Text("no-store", "backup"));
        await using var edge = new EdgeServer(Config(site, api, backup), TimeProvider.System, NullLoggerFactory.Instance);
        await edge.StartAsync(CancellationToken.None);

        Assert.Equal((HttpStatusCode.OK, "site", "site"), await GetAsync(edge, "/index.html"));
        Assert.Equal((HttpStatusCode.OK, "api", "api"), await GetAsync(edge, "/api/orders"));
        Assert.Equal((HttpStatusCode.OK, "backup", "api-backup"), await GetAsync(edge, "/backup-only/x"));
        Assert.Equal(1, site.Count);
        Assert.Equal(1, api.Count);
        Assert.Equal(1, backup.Count);
    }

    [Fact]
    public async Task Get_BehaviorTargetIsGroup_FailsOverWithinThatGroup()
    {
        await using var site = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=60", "site"));
        await using var api = await CacheOrigin.StartAsync((http, n) =>
        {
            http.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        await using var backup = await CacheOrigin.StartAsync(CacheOrigin.Text("no-store", "backup"));
        await using var edge = new EdgeServer(Config(site, api, backup), TimeProvider.System, NullLoggerFactory.Instance);
        await edge.StartAsync(CancellationToken.None);

        var response = await GetAsync(edge, "/api/orders");

        Assert.Equal((HttpStatusCode.OK, "backup", "api-backup"), response);
        Assert.Equal(1, api.Count);
        Assert.Equal(0, site.Count); // the site origin is not in the /api/* behaviour's group
    }
}
