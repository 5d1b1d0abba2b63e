using System.Net;
using System.Net.Sockets;

namespace Meridian.Cli.Tests.Fuzz;

/// <summary>Garbage DNS-over-TCP streams: bad length prefixes, truncated frames, zero lengths, framed malformed packets.</summary>
internal static class TcpGarbage
{
    public static List<(string Kind, byte[] Stream)> Generate(int seed, int count)
    {
        var random = new Random(seed);
        var packets = new FuzzPackets(seed + 1).Generate(count).ToArray();
        var streams = new List<(string, byte[])>(count);
        for (var i = 0; i < count; i++)
        {
            streams.Add((i % 7) switch
            {
                0 => ("zero-length", [0, 0]),
                1 => ("one-byte", [(byte)random.Next(256)]),
                2 => ("prefix-longer-than-data", Prefixed(random.Next(2, 65536), Random(random, random.Next(0, 64)))),
                3 => ("framed-random", Frame(Random(random, random.Next(1, 600)))),
                4 => ("framed-fuzz-" + packets[i].Kind, packets[i].Packet.Length is > 0 and < 65536 ? Frame(packets[i].Packet) : [0, 0]),
                5 => ("valid-then-truncated", [.. Frame(WireQuery.Build(7, "app.mydomain.test")), .. Prefixed(512, Random(random, 100))]),
                _ => ("random-stream", Random(random, random.Next(0, 2000))),
            });
        }

        return streams;
    }

    /// <summary>Writes the stream, closes the sending side, and waits for the server to close; false when it does not in time.</summary>
    public static async Task<bool> SendAsync(IPEndPoint server, byte[] stream, TimeSpan timeout)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(server, deadline.Token);
            if (stream.Length > 0)
            {
                await socket.SendAsync(stream, SocketFlags.None, deadline.Token);
            }

            socket.Shutdown(SocketShutdown.Send);
            var buffer = new byte[4096];
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) > 0)
            {
                // Responses to framed messages: read and drop until the server closes.
            }

            return true;
        }
        catch (SocketException)
        {
            return true; // reset by the server: closed, which is fine
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static byte[] Frame(byte[] message) => Prefixed(message.Length, message);

    private static byte[] Prefixed(int length, byte[] data) => [(byte)(length >> 8), (byte)length, .. data];

    private static byte[] Random(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
