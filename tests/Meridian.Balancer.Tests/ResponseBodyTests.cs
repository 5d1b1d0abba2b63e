using System.Text;

namespace Meridian.Balancer.Tests;

/// <summary>
/// The balancer defers flushing the client's bytes while the target has more ready (one send per chunked response
/// instead of two): bodies must still arrive whole, and a streaming target's bytes without waiting for its end.
/// </summary>
public sealed class ResponseBodyTests
{
    [Theory]
    [InlineData("bytes", 0)]
    [InlineData("bytes", 10)]
    [InlineData("bytes", 70_000)]
    [InlineData("bytes", 1_048_576)]
    [InlineData("chunked", 10)]
    [InlineData("chunked", 70_000)]
    [InlineData("chunked", 1_048_576)]
    public async Task Forward_BodyOfEveryShape_ArrivesWhole(string shape, int size)
    {
        await using var lb = await BalancerHarness.StartAsync(1);

        using var response = await lb.Client.GetAsync($"/{shape}/{size}", HttpCompletionOption.ResponseHeadersRead);
        var chunked = response.Headers.TransferEncodingChunked == true;
        var length = response.Content.Headers.ContentLength;
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(ResponseBodies.Pattern(size), body);
        Assert.Equal(shape == "chunked", chunked);
        Assert.Equal(shape == "bytes" ? size : null, length);
    }

    [Fact]
    public async Task Forward_TargetResetsMidBody_ClientSeesBrokenBodyNeverA502WithItsBytes()
    {
        await using var lb = await BalancerHarness.StartAsync(1);

        for (var i = 0; i < 20; i++)
        {
            HttpResponseMessage response;
            try
            {
                response = await lb.Client.GetAsync("/truncated", HttpCompletionOption.ResponseHeadersRead);
            }
            catch (HttpRequestException ex) when (ex.InnerException is IOException)
            {
                // The balancer had committed the headers and part of the body, then aborted the connection; the abort
                // can overtake bytes still queued for the socket, so the client sees the reset before any of them.
                continue;
            }

            using var _ = response;
            if (response.StatusCode == System.Net.HttpStatusCode.BadGateway)
            {
                // Nothing had reached the client yet: a clean 502 is right, but with none of the target's bytes.
                Assert.Empty(await response.Content.ReadAsByteArrayAsync());
                continue;
            }

            Assert.Equal(200, (int)response.StatusCode);
            await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsByteArrayAsync());
        }

        // The balancer still answers normally afterwards.
        Assert.Equal("a", (await lb.GetAsync("/")).Body);
    }

    [Fact]
    public async Task Forward_StreamingTarget_FirstPartArrivesBeforeTargetFinishes()
    {
        await using var lb = await BalancerHarness.StartAsync(1);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        using var response = await lb.Client.GetAsync("/stream", HttpCompletionOption.ResponseHeadersRead, limit.Token);
        await using var stream = await response.Content.ReadAsStreamAsync(limit.Token);
        var first = new byte[5];
        await stream.ReadExactlyAsync(first, limit.Token); // the target still holds "second"
        lb[0].Release();
        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest, limit.Token);

        Assert.Equal("first", Encoding.ASCII.GetString(first));
        Assert.Equal("second", Encoding.ASCII.GetString(rest.ToArray()));
    }
}
