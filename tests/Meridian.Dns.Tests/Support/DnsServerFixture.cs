using System.Net;
using Meridian.Health;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Dns.Tests.Support;

/// <summary>A real server on 127.0.0.1 with an ephemeral port, for one test.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(GslbDnsServer server)
    {
        Server = server;
        Endpoint = server.Endpoints[0];
    }

    public GslbDnsServer Server { get; }

    public IPEndPoint Endpoint { get; }

    public static RunningServer Start(TopologyConfig topology, IHealthView health)
    {
        var server = new GslbDnsServer(topology, health, NullLoggerFactory.Instance);
        server.Start();
        return new RunningServer(server);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
