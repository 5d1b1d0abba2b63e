namespace Meridian.Edge;

/// <summary>An origin's health as the edge remembers it. <see cref="Unknown"/> until a probe or request has answered.</summary>
public enum EdgeOriginStatus
{
    Unknown,
    Healthy,
    Unhealthy,
}
