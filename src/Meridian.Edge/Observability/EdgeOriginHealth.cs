namespace Meridian.Edge;

/// <summary>The health of one origin of one distribution, with the reason and time of its last change.</summary>
public sealed record EdgeOriginHealth(
    string Distribution,
    string Origin,
    EdgeOriginStatus Status,
    string? Reason,
    DateTimeOffset? LastChange);
