namespace Meridian.Edge;

/// <summary>The origin did not send response headers within its response timeout.</summary>
internal sealed class OriginResponseTimeoutException(TimeSpan timeout)
    : TimeoutException($"no response headers within {timeout.TotalMilliseconds:0} ms")
{
    public TimeSpan Timeout { get; } = timeout;
}
