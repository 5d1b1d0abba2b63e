using System.Net;
using Meridian.Balancer;
using Meridian.Hosting.Outage;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging;

namespace Meridian.Hosting.Components;

/// <summary>
/// One regional load balancer as a host component: started with the host, reconfigured on reload, and stoppable
/// in place for a region outage (a stopped balancer refuses connections; starting builds a fresh one).
/// </summary>
internal sealed class BalancerComponent(LoadBalancerConfig config, TimeProvider time, ILoggerFactory loggers) : IRegionComponent, IAsyncDisposable
{
    private RegionalLoadBalancer? _current;
    private LoadBalancerConfig _config = config;

    public string Region => _config.Region;

    public string Name => $"load balancer {_config.Name}";

    public RegionalLoadBalancer? Current => _current;

    public LoadBalancerConfig Config => _config;

    public IReadOnlyList<IPEndPoint> Endpoints => [_current?.Endpoint ?? _config.Listen];

    public async Task StartAsync(CancellationToken token)
    {
        var balancer = new RegionalLoadBalancer(_config, time, loggers);
        try
        {
            await balancer.StartAsync(token);
        }
        catch
        {
            await balancer.DisposeAsync();
            throw;
        }

        _current = balancer;
    }

    public async Task StopAsync(CancellationToken token)
    {
        if (Interlocked.Exchange(ref _current, null) is { } balancer)
        {
            await balancer.DisposeAsync();
        }
    }

    public void Apply(LoadBalancerConfig config)
    {
        _config = config;
        _current?.Apply(config);
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));
}
