namespace Meridian.Topology.Model;

/// <summary>
/// Health checker vantage points. A check runs from each named location; the endpoint is healthy when more than
/// <see cref="HealthyFraction"/> of the locations report it healthy (Route53 uses 18%).
/// </summary>
public sealed record CheckersConfig(IReadOnlyList<string> Locations, double HealthyFraction, UnknownHealthPolicy UnknownIs)
{
    public const string LocalLocation = "local";
    public static readonly CheckersConfig Default = new([LocalLocation], 0.18, UnknownHealthPolicy.Healthy);
}

/// <summary>How a check with no result yet is answered (Route53 treats it as healthy).</summary>
public enum UnknownHealthPolicy
{
    Healthy,
    Unhealthy,
}
