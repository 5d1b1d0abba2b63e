using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Meridian.Dns.Answering;
using Meridian.Dns.Tests.Support;
using static Meridian.Dns.Tests.Support.TestTopology;

namespace Meridian.Dns.Tests.Server;

/// <summary>
/// Bursts of queries from several clients, mixed with packets the server drops, so that on Linux one recvmmsg
/// batch holds many of them: every query gets exactly one answer, with its own id, sent to its own client.
/// </summary>
public sealed class UdpBurstTests
{
    private const int Clients = 3;
    private const int PerClient = 40;

    [Fact]
    public async Task Burst_FromSeveralClientsWithDroppedPackets_EachQueryAnsweredToItsSender()
    {
        await using var server = RunningServer.Start(Create([A("static", null, "127.0.0.11")]), new TestHealthView());
        var sockets = Enumerable.Range(0, Clients).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)).ToArray();
        try
        {
            foreach (var socket in sockets)
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                socket.ReceiveTimeout = 5000;
            }

            var query = QueryBuilder.Build(Fqdn("static"), 1, null);
            var response = (byte[])query.Clone();
            response[2] |= 0x80; // QR set: the server drops it (returns 0, sends nothing)
            for (var i = 0; i < PerClient; i++)
            {
                for (var c = 0; c < Clients; c++)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(query, (ushort)((c << 8) | i));
                    sockets[c].SendTo(query, server.Endpoint);
                    sockets[c].SendTo(response, server.Endpoint);
                }
            }

            var buffer = new byte[2048];
            for (var c = 0; c < Clients; c++)
            {
                var ids = new List<int>();
                for (var i = 0; i < PerClient; i++)
                {
                    var length = sockets[c].Receive(buffer);
                    Assert.True(length > 12);
                    Assert.Equal(0x80, buffer[2] & 0x80);
                    Assert.Equal([127, 0, 0, 11], buffer.AsSpan(length - 4 - 11, 4).ToArray()); // A rdata, then OPT
                    ids.Add(BinaryPrimitives.ReadUInt16BigEndian(buffer));
                }

                Assert.Equal(Enumerable.Range(0, PerClient).Select(i => (c << 8) | i).Order(), ids.Order());
                sockets[c].ReceiveTimeout = 300;
                Assert.Throws<SocketException>(() => sockets[c].Receive(buffer)); // nothing for the dropped packets
            }
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }
}
