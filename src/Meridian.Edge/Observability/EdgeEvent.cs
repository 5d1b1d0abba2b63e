namespace Meridian.Edge;

/// <summary>
/// An edge event. For <see cref="EdgeEventKind.OriginHealthChanged"/>, <see cref="Old"/> and <see cref="New"/> are
/// set and <see cref="Location"/> is null (origin health is shared by all locations); for
/// <see cref="EdgeEventKind.Failover"/>, <see cref="Location"/> and <see cref="NextOrigin"/> are set.
/// </summary>
public sealed record EdgeEvent(
    DateTimeOffset Time,
    EdgeEventKind Kind,
    string Distribution,
    string Origin,
    string Reason,
    string? Location = null,
    string? NextOrigin = null,
    EdgeOriginStatus? Old = null,
    EdgeOriginStatus? New = null);
