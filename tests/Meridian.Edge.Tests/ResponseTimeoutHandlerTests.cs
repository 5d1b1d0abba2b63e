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

    /// <summary>Answers with the given delegate and keeps the request's timer (as a late connect callback would).</summary>
    private sealed class ScriptedOrigin(Func<CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        public ResponseTimer? LastTimer { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Options.TryGetValue(ResponseTimer.Key, out var timer);
            LastTimer = timer;
            return answer(cancellationToken);
        }
    }

    [Fact]
    public async Task SendAsync_LatePauseOfFinishedRequest_DoesNotPauseTheNextOne()
    {
        var time = new FakeTimeProvider();
        var hang = false;
        var origin = new ScriptedOrigin(async token =>
        {
            if (hang)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return new HttpResponseMessage();
        });
        using var invoker = new HttpMessageInvoker(new ResponseTimeoutHandler(origin, TimeSpan.FromMilliseconds(300), time));
        using (var first = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/1"))
        {
            (await invoker.SendAsync(first, CancellationToken.None)).Dispose();
        }

        var finished = origin.LastTimer!;
        hang = true;
        using var second = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/2");
        var sending = invoker.SendAsync(second, CancellationToken.None);
        Assert.NotSame(finished, origin.LastTimer);
        finished.Pause(); // the first request's connect callback, late (its lease has ended)
        time.Advance(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAsync<OriginResponseTimeoutException>(() => sending.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task SendAsync_AfterATimeout_NextRequestGetsItsWholeTimeout()
    {
        var time = new FakeTimeProvider();
        var answered = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var origin = new ScriptedOrigin(async token =>
        {
            if (++calls == 1)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return await answered.Task.WaitAsync(token);
        });
        using var invoker = new HttpMessageInvoker(new ResponseTimeoutHandler(origin, TimeSpan.FromMilliseconds(300), time));
        using var first = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/1");
        var timingOut = invoker.SendAsync(first, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAsync<OriginResponseTimeoutException>(() => timingOut.WaitAsync(TimeSpan.FromSeconds(10)));

        using var second = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/2");
        var sending = invoker.SendAsync(second, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.False(sending.IsCompleted); // a cancelled source is never reused
        answered.SetResult(new HttpResponseMessage());

        using var response = await sending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SendAsync_SystemClock_SourceReusedAndLatePauseIgnored()
    {
        // Sources are reused with the system clock only (TryReset refuses a source whose timer another TimeProvider made,
        // so with a FakeTimeProvider every request gets a new one): this one runs on real time, 200 ms.
        var hang = false;
        var origin = new ScriptedOrigin(async token =>
        {
            if (hang)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return new HttpResponseMessage();
        });
        using var invoker = new HttpMessageInvoker(new ResponseTimeoutHandler(origin, TimeSpan.FromMilliseconds(200), TimeProvider.System));
        using (var first = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/1"))
        {
            (await invoker.SendAsync(first, CancellationToken.None)).Dispose();
        }

        var finished = origin.LastTimer!;
        var firstToken = finished.Token;
        hang = true;
        using var second = new HttpRequestMessage(HttpMethod.Get, "http://origin.test/2");
        var sending = invoker.SendAsync(second, CancellationToken.None);

        Assert.Equal(firstToken, origin.LastTimer!.Token); // the first request's source, reused
        finished.Pause(); // a late connect callback of the first request must not disarm the second's timeout
        await Assert.ThrowsAsync<OriginResponseTimeoutException>(() => sending.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
