using System.Net;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Balancer.Tests;

/// <summary>A started balancer on loopback port 0 with a fake clock, its backends and a client.</summary>
internal sealed class BalancerHarness : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(15);

    private BalancerHarness(RegionalLoadBalancer balancer, FakeTimeProvider time, IReadOnlyList<TestBackend> backends)
    {
        Balancer = balancer;
        Time = time;
        Backends = backends;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://{balancer.Endpoint}"),
            Timeout = WaitLimit,
        };
    }

    public RegionalLoadBalancer Balancer { get; }
    public FakeTimeProvider Time { get; }
    public IReadOnlyList<TestBackend> Backends { get; }
    public HttpClient Client { get; }

    public static TargetHealthConfig Health(int healthy = 1, int unhealthy = 1) => new()
    {
        Path = "/health",
        Interval = Interval,
        Timeout = TimeSpan.FromSeconds(5),
        HealthyThreshold = healthy,
        UnhealthyThreshold = unhealthy,
    };

    /// <summary>Starts <paramref name="backends"/> backends and a balancer over them; waits for their first checks.</summary>
    public static async Task<BalancerHarness> StartAsync(int backends, Func<LoadBalancerConfig, LoadBalancerConfig>? configure = null)
    {
        var started = new List<TestBackend>();
        for (var i = 0; i < backends; i++)
        {
            started.Add(await TestBackend.StartAsync(((char)('a' + i)).ToString()));
        }

        var config = new LoadBalancerConfig
        {
            Name = "eu",
            Region = "eu-west",
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Targets = [.. started.Select(b => b.Target)],
            Health = Health(),
            DeregistrationDelay = TimeSpan.FromMinutes(5),
        };
        config = configure?.Invoke(config) ?? config;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var balancer = new RegionalLoadBalancer(config, time, NullLoggerFactory.Instance);
        await balancer.StartAsync(CancellationToken.None);
        var harness = new BalancerHarness(balancer, time, started);
        await harness.WaitForChecksAsync();
        return harness;
    }

    public TestBackend this[int index] => Backends[index];

    public TargetStatus Status(TestBackend backend) => Balancer.Targets.Single(t => t.Target == backend.Target);

    /// <summary>Waits until every check loop is idle (the first checks are done).</summary>
    public Task WaitForChecksAsync() => WaitUntilAsync(() => Balancer.ChecksWaitingBeyond(Time.GetUtcNow()), "check loops idle");

    /// <summary>One check interval: advances the clock once every loop waits and returns when every loop checked.</summary>
    public async Task TickAsync(int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            await WaitForChecksAsync();
            var targets = Balancer.Targets.Where(t => t.State != TargetState.Draining).Select(t => t.Target).ToArray();
            var before = targets.Select(Balancer.ChecksCompleted).ToArray();
            Time.Advance(Interval);
            await WaitUntilAsync(() => targets.Select((t, j) => Balancer.ChecksCompleted(t) > before[j]).All(x => x), "checks after tick");
            await WaitForChecksAsync();
        }
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path = "/")
    {
        using var response = await Client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Bounded polling: no fixed sleeps, fails with <paramref name="what"/> after the limit.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}");
            }

            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Balancer.DisposeAsync();
        foreach (var backend in Backends)
        {
            await backend.DisposeAsync();
        }
    }
}
