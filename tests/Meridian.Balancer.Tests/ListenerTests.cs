using System.Net;
using System.Net.Sockets;
using System.Text;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Balancer.Tests;

public sealed class ListenerTests
{
    [Fact]
    public async Task StartAsync_AddressInUse_ThrowsNamingFieldAndAddress()
    {
        using var occupier = new TcpListener(IPAddress.Loopback, 0);
        occupier.Start();
        var taken = (IPEndPoint)occupier.LocalEndpoint;
        var config = new LoadBalancerConfig { Name = "us", Region = "us-east", Listen = taken };
        await using var balancer = new RegionalLoadBalancer(config, TimeProvider.System, NullLoggerFactory.Instance);

        var ex = await Assert.ThrowsAsync<BalancerStartException>(() => balancer.StartAsync(CancellationToken.None));
        Assert.Contains("load_balancers.us.listen", ex.Message);
        Assert.Contains(taken.ToString(), ex.Message);
    }

    [Fact]
    public async Task Endpoint_PortZero_ReportsBoundPort()
    {
        await using var h = await BalancerHarness.StartAsync(1);
        Assert.NotEqual(0, h.Balancer.Endpoint.Port);
        Assert.Equal(IPAddress.Loopback, h.Balancer.Endpoint.Address);
    }

    [Fact]
    public async Task Listener_MalformedRequest_400AndKeepsServing()
    {
        await using var h = await BalancerHarness.StartAsync(1);
        Assert.StartsWith("HTTP/1.1 400", await RawAsync(h.Balancer.Endpoint, "NOT HTTP AT ALL\r\n\r\n"));
        Assert.Equal(HttpStatusCode.OK, (await h.GetAsync()).Status);
    }

    [Fact]
    public async Task Listener_OversizedHeaders_431AndKeepsServing()
    {
        await using var h = await BalancerHarness.StartAsync(1);
        var huge = new string('x', 40 * 1024);
        var response = await RawAsync(h.Balancer.Endpoint, $"GET / HTTP/1.1\r\nHost: a\r\nX-Big: {huge}\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 431", response);
        Assert.Equal(0, h[0].Hits);
        Assert.Equal(HttpStatusCode.OK, (await h.GetAsync()).Status);
    }

    private static async Task<string> RawAsync(IPEndPoint endpoint, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
