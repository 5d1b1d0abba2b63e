namespace Meridian.Drills;

/// <summary>How the outage looks to clients.</summary>
public enum DrillMode
{
    /// <summary>The region's load balancer and apps refuse connections (a NACL deny with RST, a dead host).</summary>
    Refuse,
    /// <summary>They accept connections and never answer (a black-holed network): failure only shows at timeouts.</summary>
    Hang,
}
