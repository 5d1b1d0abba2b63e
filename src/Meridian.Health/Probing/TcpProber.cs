using System.Net;
using System.Net.Sockets;
using Meridian.Topology.Model;

namespace Meridian.Health;

/// <summary>TCP connect probe: healthy when the connection is established within the timeout.</summary>
internal sealed class TcpProber(HealthCheckConfig check, TimeProvider time) : IHealthProber
{
    public async ValueTask<ProbeResult> ProbeAsync(string location, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        if (IPAddress.TryParse(check.Host, out var ip))
        {
            using var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new IPEndPoint(ip, check.Port), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new DnsEndPoint(check.Host, check.Port), cancellationToken).ConfigureAwait(false);
        }

        return ProbeResult.Pass("TCP connect succeeded", time.GetElapsedTime(started));
    }
}
