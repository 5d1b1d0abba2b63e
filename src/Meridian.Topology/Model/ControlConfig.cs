using System.Net;

namespace Meridian.Topology.Model;

/// <summary>The HTTP control API (status, explain, events). Bound to loopback by default.</summary>
public sealed record ControlConfig(IPEndPoint Listen)
{
    public static readonly ControlConfig Default = new(new IPEndPoint(IPAddress.Loopback, 8053));
}
