using Meridian.Topology.Model;

namespace Meridian.Edge.Tests.Caching.Integration;

/// <summary>
/// What is not in the cache key is not forwarded (CloudFront's cache policy rule), so the query string the origin
/// sees is the key's: otherwise an origin answering per query would have one query's answer cached for all of them.
/// </summary>
public sealed class CacheOriginQueryTests
{
    private static async Task<string> OriginSeesAsync(KeyListPolicy policy, string[] names, string pathAndQuery, HttpMethod? method = null)
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("no-store"));
        var behavior = CacheOrigin.Behavior("*", b => b with
        {
            CacheKey = CacheKeyConfig.Default with { QueryStrings = policy, QueryStringNames = names },
            AllowedMethods = AllowedMethods.All,
        });
        await using var edge = await EdgeHarness.StartAsync(CacheOrigin.Config([origin], [behavior]));
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(edge.BaseUri, pathAndQuery));
        request.Headers.Host = EdgeHarness.Alias;

        using var response = await client.SendAsync(request);

        response.EnsureSuccessStatusCode();
        return Assert.Single(origin.Requests).PathAndQuery;
    }

    [Fact]
    public async Task Get_QueryNotInKey_OriginGetsPathOnly() =>
        Assert.Equal("/search", await OriginSeesAsync(KeyListPolicy.None, [], "/search?q=evil&utm=1"));

    [Fact]
    public async Task Get_AllowList_OriginGetsListedParametersOnly() =>
        Assert.Equal("/search?q=a", await OriginSeesAsync(KeyListPolicy.AllowList, ["q"], "/search?utm=1&q=a"));

    [Fact]
    public async Task Get_AllQueryStrings_OriginGetsQueryAsSent() =>
        Assert.Equal("/search?b=2&a=%20x", await OriginSeesAsync(KeyListPolicy.All, [], "/search?b=2&a=%20x"));

    [Fact]
    public async Task Get_EncodedPathNoQuery_OriginGetsPathEncodedOnce() =>
        Assert.Equal("/a%20b/c", await OriginSeesAsync(KeyListPolicy.None, [], "/a%20b/c"));

    [Fact]
    public async Task Post_QueryNotInKey_OriginGetsViewerQuery() =>
        // Not a cached method: no key, nothing stored, the request goes on as the viewer sent it.
        Assert.Equal("/orders?dry_run=1", await OriginSeesAsync(KeyListPolicy.None, [], "/orders?dry_run=1", HttpMethod.Post));
}
