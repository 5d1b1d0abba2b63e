namespace Meridian.Topology.Model;

/// <summary>Route53 routing policies. All records of one name and type share one policy kind.</summary>
public abstract record RoutingPolicy
{
    public abstract string Kind { get; }

    public sealed record Simple : RoutingPolicy
    {
        public static readonly Simple Instance = new();
        public override string Kind => "simple";
    }

    public sealed record Failover(FailoverRole Role) : RoutingPolicy
    {
        public override string Kind => "failover";
    }

    public sealed record Latency(string Region) : RoutingPolicy
    {
        public override string Kind => "latency";
    }

    /// <summary>Weight 0–255; weight 0 records answer only when every non-zero record is unhealthy.</summary>
    public sealed record Weighted(int Weight) : RoutingPolicy
    {
        public override string Kind => "weighted";
    }

    /// <summary>Continent, country (+ subdivision), or the default location ("*").</summary>
    public sealed record Geolocation(string? Continent, string? Country, string? Subdivision) : RoutingPolicy
    {
        public bool IsDefault => Continent is null && Country is null;
        public override string Kind => "geolocation";
    }

    /// <summary>IP-based routing: a location of a CIDR collection, or "*" for the default.</summary>
    public sealed record IpBased(string Collection, string LocationName) : RoutingPolicy
    {
        public bool IsDefault => LocationName == "*";
        public override string Kind => "ip";
    }

    /// <summary>Multivalue answer: up to 8 healthy records, each record one value.</summary>
    public sealed record Multivalue : RoutingPolicy
    {
        public static readonly Multivalue Instance = new();
        public override string Kind => "multivalue";
    }
}

public enum FailoverRole
{
    Primary,
    Secondary,
}
