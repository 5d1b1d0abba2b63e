using System.Net;
using Meridian.Dns;
using Meridian.Health;
using Meridian.Topology;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Testing;

/// <summary>
/// Meridian's real DNS server and health monitor, from topology YAML, on 127.0.0.1 with a free port (the YAML's
/// YAML's <c>dns.listen</c> is replaced: the topology format wants a real port). Health checks run for real, on the
/// system clock.
/// </summary>
public sealed class GslbTestServer : IAsyncDisposable
{
    private GslbTestServer(HealthMonitor health, GslbDnsServer dns)
    {
        Health = health;
        Dns = dns;
        Endpoint = dns.Endpoints[0];
    }

    public HealthMonitor Health { get; }

    public GslbDnsServer Dns { get; }

    public IPEndPoint Endpoint { get; }

    public static GslbTestServer Start(string yaml)
    {
        var loaded = TopologyLoader.LoadFromText(yaml, "test-topology.yaml");
        if (!loaded.Succeeded)
        {
            throw new InvalidOperationException("test topology is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, loaded.Errors));
        }

        var config = loaded.Config! with { Dns = loaded.Config!.Dns with { Listen = [new IPEndPoint(IPAddress.Loopback, 0)] } };
        var health = new HealthMonitor(config, TimeProvider.System, NullLoggerFactory.Instance);
        var dns = new GslbDnsServer(config, health, NullLoggerFactory.Instance);
        try
        {
            dns.Start();
            health.Start();
        }
        catch
        {
            dns.DisposeAsync().AsTask().GetAwaiter().GetResult();
            health.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        return new GslbTestServer(health, dns);
    }

    public async ValueTask DisposeAsync()
    {
        await Dns.DisposeAsync();
        await Health.DisposeAsync();
    }
}
