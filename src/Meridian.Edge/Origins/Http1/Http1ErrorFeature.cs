using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Edge.Http1;

/// <summary>The direct path's error, exposed as YARP's forwarder exposes its own (readers need not know which path ran).</summary>
internal sealed class Http1ErrorFeature(ForwarderError error, Exception? exception) : IForwarderErrorFeature
{
    public ForwarderError Error { get; } = error;

    public Exception? Exception { get; } = exception;
}
