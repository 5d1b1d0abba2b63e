using System.Net;
using System.Net.Sockets;

namespace Meridian.SampleApp.Tests.Support;

internal static class Ports
{
    /// <summary>A loopback port that nothing listens on (bound then released, so connects are refused).</summary>
    public static int Closed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
