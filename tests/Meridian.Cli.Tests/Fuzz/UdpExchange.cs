using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Meridian.Cli.Tests.Fuzz;

/// <summary>
/// A connected UDP socket that sends a packet followed by a valid probe query and collects what comes back until the
/// probe's answer arrives. The server answers one endpoint's packets in order, so the probe's answer means the packet
/// before it was fully handled; no answer to the probe within the timeout means the server hung on that packet.
/// </summary>
internal sealed class UdpExchange : IDisposable
{
    private static readonly byte[] ProbeName = WireQuery.EncodeName("ns1.mydomain.test");
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[65535];
    private ushort _probeId;

    public UdpExchange(IPEndPoint server, TimeSpan timeout)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = (int)timeout.TotalMilliseconds };
        _socket.Connect(server);
    }

    /// <summary>Sends <paramref name="packet"/> then a probe; returns the responses to the packet, or null when the probe got no answer.</summary>
    public List<byte[]>? Send(byte[] packet)
    {
        _socket.Send(packet);
        var responses = new List<byte[]>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            // A second probe covers a lost datagram; two lost probes in a row on loopback mean the server is stuck.
            var probeId = ++_probeId;
            _socket.Send(WireQuery.Build(probeId, "ns1.mydomain.test"));
            while (true)
            {
                int received;
                try
                {
                    received = _socket.Receive(_buffer);
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TimedOut)
                {
                    break;
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    return null; // nothing listens any more
                }

                var response = _buffer.AsSpan(0, received);
                if (IsProbeAnswer(response, probeId))
                {
                    return responses;
                }

                if (!IsProbeAnswer(response, null))
                {
                    responses.Add(response.ToArray());
                }
            }
        }

        return null;
    }

    private static bool IsProbeAnswer(ReadOnlySpan<byte> response, ushort? id) =>
        response.Length >= 12 + ProbeName.Length
        && (id is null || WireQuery.Id(response) == id)
        && Encoding.ASCII.GetString(response.Slice(12, ProbeName.Length)).Equals(Encoding.ASCII.GetString(ProbeName), StringComparison.OrdinalIgnoreCase);

    public void Dispose() => _socket.Dispose();
}
