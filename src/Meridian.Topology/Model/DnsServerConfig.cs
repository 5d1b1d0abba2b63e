using System.Net;

namespace Meridian.Topology.Model;

/// <summary>The authoritative DNS listeners (UDP and TCP on each endpoint).</summary>
public sealed record DnsServerConfig(IReadOnlyList<IPEndPoint> Listen, int MaxUdpPayload, TimeSpan TcpIdleTimeout)
{
    public static readonly DnsServerConfig Default = new([new IPEndPoint(IPAddress.Loopback, 5353)], 1232, TimeSpan.FromSeconds(10));
}
