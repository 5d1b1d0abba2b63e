using System.Net;
using System.Net.Sockets;

namespace Meridian.Edge.Tests;

internal static class ClosedPort
{
    /// <summary>A loopback URL with nothing listening (a port just released), so connecting is refused.</summary>
    public static Uri Url()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }
}
