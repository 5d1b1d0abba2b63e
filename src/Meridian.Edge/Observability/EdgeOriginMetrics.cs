namespace Meridian.Edge;

/// <summary>Per-origin counters at one location, with the origin's current (shared) health.</summary>
/// <param name="ConnectionsOpened">
/// Keep-alive connections the edge's HTTP/1.1 path opened to the origin, across locations (plain-HTTP origins; requests
/// forwarded through YARP use its own pool, not counted). Growing with the request count means connections are not
/// reused: the origin closes them (Connection: close, a short idle timeout) or answers with unframed bodies.
/// </param>
public sealed record EdgeOriginMetrics(
    string Distribution,
    string Origin,
    EdgeOriginStatus Health,
    long Requests,
    long Errors,
    long ConnectionsOpened = 0);
