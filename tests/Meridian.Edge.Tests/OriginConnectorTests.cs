using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Edge.Tests;

public sealed class OriginConnectorTests
{
    private static readonly DnsEndPoint Target = new("origin.test", 80);

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", AddressFamily.InterNetwork)]
    [InlineData("[::1]", "::1", AddressFamily.InterNetworkV6)]
    [InlineData("::1", "::1", AddressFamily.InterNetworkV6)]
    [InlineData("localhost", "127.0.0.1", AddressFamily.InterNetworkV6)] // a name: a dual-mode socket, any family the name has
    public async Task ConnectAsync_RealSocket_OriginByAddressGetsItsOwnFamily(string host, string listen, AddressFamily family)
    {
        if (listen == "::1" && !Socket.OSSupportsIPv6)
        {
            return;
        }

        using var listener = new TcpListener(IPAddress.Parse(listen), 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connector = new OriginConnector(1, TimeSpan.FromSeconds(10), TimeProvider.System);

        await using var stream = await connector.ConnectAsync(new DnsEndPoint(host, port), CancellationToken.None);
        using var accepted = await listener.AcceptSocketAsync();

        var socket = Assert.IsType<NetworkStream>(stream).Socket;
        Assert.Equal(family, socket.AddressFamily);
        Assert.True(socket.NoDelay);
        await stream.WriteAsync("x"u8.ToArray());
        var buffer = new byte[1];
        Assert.Equal(1, await accepted.ReceiveAsync(buffer));
    }

    [Fact]
    public async Task ConnectAsync_FailsTwiceThenConnects_MakesThreeAttempts()
    {
        var attempts = 0;
        var connector = new OriginConnector(3, TimeSpan.FromSeconds(1), TimeProvider.System, (_, _) =>
            ++attempts < 3 ? throw new SocketException((int)SocketError.ConnectionRefused) : ValueTask.FromResult<Stream>(new MemoryStream()));

        await using var stream = await connector.ConnectAsync(Target, CancellationToken.None);

        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task ConnectAsync_AllAttemptsRefused_ThrowsAfterConfiguredAttempts()
    {
        var attempts = 0;
        var connector = new OriginConnector(2, TimeSpan.FromSeconds(1), TimeProvider.System, (_, _) =>
        {
            attempts++;
            throw new SocketException((int)SocketError.ConnectionRefused);
        });

        var error = await Assert.ThrowsAsync<SocketException>(() => connector.ConnectAsync(Target, CancellationToken.None).AsTask());

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task ConnectAsync_AttemptHangs_TimesOutAfterConnectionTimeoutAndRetries()
    {
        var time = new FakeTimeProvider();
        var attempts = 0;
        var connector = new OriginConnector(2, TimeSpan.FromSeconds(10), time, async (_, token) =>
        {
            Interlocked.Increment(ref attempts);
            await Task.Delay(Timeout.Infinite, token);
            return new MemoryStream();
        });

        var connecting = connector.ConnectAsync(Target, CancellationToken.None).AsTask();
        await Poll.UntilAsync(() => Volatile.Read(ref attempts) == 1, "first attempt");
        time.Advance(TimeSpan.FromSeconds(10));
        await Poll.UntilAsync(() => Volatile.Read(ref attempts) == 2, "second attempt after the first timed out");
        Assert.False(connecting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(10));

        var error = await Assert.ThrowsAsync<SocketException>(() => connecting);
        Assert.Equal(SocketError.TimedOut, error.SocketErrorCode);
    }
}
