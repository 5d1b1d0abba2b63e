namespace Meridian.Health.Tests.Support;

/// <summary>
/// A probe that is in flight when the monitor stops and then fails with a non-cancellation error (as a real HTTP
/// probe does when its connection is refused at that moment).
/// </summary>
internal sealed class FailsWhenStoppedProber : IHealthProber
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask<ProbeResult> ProbeAsync(string location, CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
        throw new HttpRequestException("Connection refused (127.0.0.1:9)");
    }
}
