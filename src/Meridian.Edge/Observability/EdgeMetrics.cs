namespace Meridian.Edge;

/// <summary>
/// A snapshot of one edge location's counters since start. <see cref="Requests"/> counts requests matched to a
/// distribution; <see cref="Misdirected"/> those answered 421; <see cref="OriginErrors"/> failed origin attempts
/// (failover status, connection failure, timeout); <see cref="Failovers"/> moves to the next group member.
/// </summary>
public sealed record EdgeMetrics(
    string Location,
    long Requests,
    long Misdirected,
    long OriginErrors,
    long Failovers,
    IReadOnlyList<EdgeOriginMetrics> Origins);
