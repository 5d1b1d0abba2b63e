using Microsoft.Extensions.Time.Testing;

namespace Meridian.Edge.Tests;

public sealed class ResponseTimeoutHandlerTests
{
    /// <summary>Stands in for SocketsHttpHandler: pauses the timer while "connecting", then waits for an answer.</summary>
    private sealed class SlowOrigin : HttpMessageHandler
    {
        public TaskCompletionSource Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Connecting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Resumed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Options.TryGetValue(ResponseTimer.Key, out var timer);
            timer!.Pause();
            Connecting.SetResult();
            await Connected.Task.WaitAsync(cancellationToken);
            timer.Resume();
            Resumed.SetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new HttpResponseMessage();
        }
    }

    [Fact]
    public async Task SendAsync_SlowConnectThenNoAnswer_TimesOutOnlyAfterConnected()
    {
        var time = new FakeTimeProvider();
        var origin = new SlowOrigin();
        using var invoker = new HttpMessageInvoker(new ResponseTimeoutHandler(origin, TimeSpan.FromMilliseconds(300), time));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/");

        var sending = invoker.SendAsync(request, CancellationToken.None);
        await origin.Connecting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(5)); // connecting slowly does not use up the response timeout
        Assert.False(sending.IsCompleted);
        origin.Connected.SetResult();
        await origin.Resumed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.False(sending.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<OriginResponseTimeoutException>(() => sending.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromMilliseconds(300), error.Timeout);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_IsNotReportedAsTimeout()
    {
        var origin = new SlowOrigin();
        origin.Connected.SetResult();
        using var invoker = new HttpMessageInvoker(new ResponseTimeoutHandler(origin, TimeSpan.FromMinutes(1), new FakeTimeProvider()));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/");
        using var cancel = new CancellationTokenSource();

        var sending = invoker.SendAsync(request, cancel.Token);
        await origin.Connecting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
    }
}
