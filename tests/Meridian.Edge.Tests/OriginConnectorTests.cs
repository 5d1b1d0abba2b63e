using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Edge.Tests;

public sealed class OriginConnectorTests
{
    private static readonly DnsEndPoint Target = new("origin.test", 80);

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
