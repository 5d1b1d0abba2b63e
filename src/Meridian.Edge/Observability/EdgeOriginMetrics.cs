namespace Meridian.Edge;

/// <summary>Per-origin counters at one location, with the origin's current (shared) health.</summary>
public sealed record EdgeOriginMetrics(
    string Distribution,
    string Origin,
    EdgeOriginStatus Health,
    long Requests,
    long Errors);
