using System.Net;
using Meridian.Hosting;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging;

namespace Meridian.Cli.Demo;

/// <summary>
/// Starts a topology the way the demo does: an in-process sample app instance at every load balancer target, then a
/// <see cref="MeridianHost"/> with every role, the app instances registered as region components so a drill can
/// take a region down. Used by `meridian demo` and by the end-to-end tests.
/// </summary>
internal sealed class DemoRunner : IAsyncDisposable
{
    private readonly List<SampleAppComponent> _apps = [];

    private DemoRunner(MeridianHost host, List<SampleAppComponent> apps)
    {
        Host = host;
        _apps = apps;
    }

    public MeridianHost Host { get; }

    public IReadOnlyList<SampleAppComponent> Apps => _apps;

    /// <summary>Starts everything; on failure stops what started and throws with a message naming the field.</summary>
    public static async Task<DemoRunner> StartAsync(TopologyConfig topology, ILoggerFactory loggers, CancellationToken token)
    {
        var apps = new List<SampleAppComponent>();
        MeridianHost? host = null;
        try
        {
            foreach (var balancer in topology.LoadBalancers)
            {
                for (var i = 0; i < balancer.Targets.Count; i++)
                {
                    var target = balancer.Targets[i];
                    if (!IPAddress.TryParse(target.Host, out var address))
                    {
                        throw new InvalidOperationException($"load_balancers.{balancer.Name}.targets[{i}]: the demo hosts app instances itself and needs an IP address, found '{target.Host}'");
                    }

                    var app = new SampleAppComponent(balancer.Region, $"{balancer.Name}-{i + 1}", new IPEndPoint(address, target.Port),
                        database: topology.Databases.Count > 0 ? DemoDatabase.Options(topology) : null,
                        bucket: DemoAssets.BucketOf(topology, balancer.Region));
                    apps.Add(app);
                    await app.StartAsync(token);
                }
            }

            host = new MeridianHost(topology, new MeridianHostOptions { Roles = MeridianRole.All, StopDatabasesOnExit = true }, loggers);
            apps.ForEach(host.Outages.Register);
            await host.StartAsync(token);
            await DemoAssets.SeedAsync(topology, token);
            return new DemoRunner(host, apps);
        }
        catch
        {
            await new DemoRunner(host!, apps).StopAsync();
            throw;
        }
    }

    private async Task StopAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
