using System.Net;
using System.Net.Sockets;
using Meridian.Drills;
using Meridian.Drills.Client;
using Meridian.Testing;

namespace Meridian.Drills.Tests;

/// <summary>The drill's DNS probe asks Meridian's real DNS server through a relay that drops the first N queries.</summary>
public sealed class DnsProbeTests
{
    private const string Yaml = """
        regions:
          us-east-1: { address: 127.0.0.11, continent: NA, country: US }
        dns:
          listen: [127.0.0.1:53]
        zones:
          probe.test:
            soa: { primary_ns: ns1.probe.test, hostmaster: hostmaster.probe.test, minimum: 1 }
            name_servers: [ns1.probe.test]
            records:
              - { name: ns1, type: A, ttl: 3600, values: [127.0.0.1] }
              - { name: app, type: A, ttl: 5, values: [127.0.0.11] }
        """;

    /// <summary>Forwards client datagrams to the server and answers back, after dropping the first <c>drop</c> of them.</summary>
    private sealed class DroppingRelay : IAsyncDisposable
    {
        private readonly UdpClient _front = new(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _received;

        public DroppingRelay(IPEndPoint server, int drop) => _loop = RunAsync(server, drop);

        public IPEndPoint Endpoint => (IPEndPoint)_front.Client.LocalEndPoint!;

        public int Received => Volatile.Read(ref _received);

        private async Task RunAsync(IPEndPoint server, int drop)
        {
            using var back = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            try
            {
                while (true)
                {
                    var query = await _front.ReceiveAsync(_stop.Token);
                    if (Interlocked.Increment(ref _received) <= drop)
                    {
                        continue;
                    }

                    await back.SendAsync(query.Buffer, server, _stop.Token);
                    var answer = await back.ReceiveAsync(_stop.Token);
                    await _front.SendAsync(answer.Buffer, query.RemoteEndPoint, _stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _front.Dispose();
            _stop.Dispose();
        }
    }

    private static DnsProbe Probe(IPEndPoint server) => new(new DrillOptions
    {
        Region = "us-east-1",
        DnsServer = server,
        AppName = "app.probe.test",
        RegionAddresses = [IPAddress.Parse("127.0.0.11")],
    });

    [Fact]
    public async Task ProbeAsync_FirstQueryLost_RetriesAndGetsTheAnswer()
    {
        await using var dns = GslbTestServer.Start(Yaml);
        await using var relay = new DroppingRelay(dns.Endpoint, drop: 1);

        var (sample, addresses) = await Probe(relay.Endpoint).ProbeAsync("app.probe.test", TimeSpan.Zero, CancellationToken.None);

        Assert.True(sample.Ok, sample.Detail);
        Assert.Equal([IPAddress.Parse("127.0.0.11")], addresses);
        Assert.Equal(2, relay.Received);
    }

    [Fact]
    public async Task ProbeAsync_BothQueriesLost_TimeoutAfterTwoAttempts()
    {
        await using var dns = GslbTestServer.Start(Yaml);
        await using var relay = new DroppingRelay(dns.Endpoint, drop: 2);

        var (sample, addresses) = await Probe(relay.Endpoint).ProbeAsync("app.probe.test", TimeSpan.Zero, CancellationToken.None);

        Assert.False(sample.Ok);
        Assert.Equal("timeout", sample.Detail);
        Assert.Empty(addresses);
        Assert.Equal(2, relay.Received);
        Assert.True(sample.Latency >= DnsProbe.AttemptTimeout * 2 - TimeSpan.FromMilliseconds(50), $"gave up after {sample.Latency}");
    }
}
