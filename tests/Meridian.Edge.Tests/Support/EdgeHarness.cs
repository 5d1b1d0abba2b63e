using System.Net;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Edge.Tests;

/// <summary>An edge with one location ("test-loc") and one distribution ("site", alias www.example.test) on loopback.</summary>
internal sealed class EdgeHarness : IAsyncDisposable
{
    public const string Location = "test-loc";
    public const string Alias = "www.example.test";

    private readonly HttpClient _client;

    private EdgeHarness(EdgeServer server)
    {
        Server = server;
        var endpoint = server.Endpoints[Location][0];
        BaseUri = new Uri($"http://{endpoint}");
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public EdgeServer Server { get; }

    public Uri BaseUri { get; }

    public IPEndPoint Endpoint => Server.Endpoints[Location][0];

    public static OriginConfig Origin(string name, Uri url, Func<OriginConfig, OriginConfig>? configure = null)
    {
        var origin = new OriginConfig
        {
            Name = name,
            Url = url,
            ConnectionTimeout = TimeSpan.FromSeconds(2),
            ConnectionAttempts = 1,
            ResponseTimeout = TimeSpan.FromSeconds(5),
            // Probes off unless a test turns them on, so only the tests' own requests reach the origins.
            Probe = OriginProbeConfig.Default with { Enabled = false, Path = TestOrigin.ProbePath, Interval = TimeSpan.FromMinutes(5) },
        };
        return configure is null ? origin : configure(origin);
    }

    public static EdgeConfig Config(IReadOnlyList<OriginConfig> origins, IReadOnlyList<int>? failoverOn = null, string? target = null)
    {
        var group = new OriginGroupConfig
        {
            Name = "group",
            Members = origins.Select(o => o.Name).ToArray(),
            FailoverOn = failoverOn ?? OriginGroupConfig.DefaultFailoverStatusCodes,
        };
        var distribution = new DistributionConfig
        {
            Name = "site",
            Aliases = [Alias],
            Origins = origins,
            OriginGroups = [group],
            Target = target ?? group.Name,
            // No error caching: these tests watch every request reach the origins (cache tests configure their own).
            ErrorCachingMinTtl = new Dictionary<int, TimeSpan>(),
        };
        var location = new EdgeLocationConfig(Location, "test-region", [new IPEndPoint(IPAddress.Loopback, 0)], SourceLocation.None);
        return new EdgeConfig([location], [distribution]);
    }

    /// <summary>
    /// The config with query strings in the default behaviour's cache key, so the origin sees the viewer's query (only
    /// what is in the key is forwarded; CloudFront's default key has no query string).
    /// </summary>
    public static EdgeConfig QueryInKey(EdgeConfig config)
    {
        var distribution = config.Distributions[0];
        var behavior = new CacheBehaviorConfig
        {
            PathPattern = "*",
            Target = distribution.Target,
            CacheKey = CacheKeyConfig.Default with { QueryStrings = KeyListPolicy.All },
        };
        return config with { Distributions = [distribution with { Behaviors = [behavior] }] };
    }

    public static async Task<EdgeHarness> StartAsync(EdgeConfig config, TimeProvider? time = null)
    {
        var server = new EdgeServer(config, time ?? TimeProvider.System, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        return new EdgeHarness(server);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path = "/", string host = Alias, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseUri, path)) { Content = content };
        request.Headers.Host = host;
        return _client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path = "/", string host = Alias) => SendAsync(HttpMethod.Get, path, host);

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await Server.DisposeAsync();
    }
}
