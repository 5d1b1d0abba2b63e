namespace Meridian.Topology.Model;

public enum HealthCheckType
{
    Http,
    Https,
    Tcp,
    Calculated,
    /// <summary>A PostgreSQL server: connects, and checks its role (writable primary or standby) when asked to.</summary>
    Postgres,
}

/// <summary>Which PostgreSQL role a <see cref="HealthCheckType.Postgres"/> check requires.</summary>
public enum PostgresRole
{
    /// <summary>Healthy when it accepts a query, whatever its role.</summary>
    Any,
    /// <summary>Healthy only as a writable primary: not in recovery and not read-only (a fenced old primary fails).</summary>
    Primary,
    /// <summary>Healthy only as a standby (in recovery).</summary>
    Standby,
}

/// <summary>How a calculated check combines its children.</summary>
public enum CalculatedRule
{
    All,
    Any,
    AtLeast,
}

/// <summary>An inclusive range of HTTP status codes, e.g. 200-399.</summary>
public readonly record struct StatusRange(int From, int To)
{
    public static readonly IReadOnlyList<StatusRange> Default2xx3xx = [new(200, 399)];
    public bool Contains(int status) => status >= From && status <= To;
    public override string ToString() => From == To ? From.ToString() : $"{From}-{To}";
}

/// <summary>
/// One health check (Route53 semantics, plus separate rise/fall thresholds and fast confirmation).
/// For HTTP/HTTPS/TCP, <see cref="Host"/> and <see cref="Port"/> name the endpoint; for calculated checks,
/// <see cref="Children"/> and <see cref="Rule"/>/<see cref="AtLeast"/> apply.
/// </summary>
public sealed record HealthCheckConfig
{
    public required string Name { get; init; }
    public required HealthCheckType Type { get; init; }
    public string Host { get; init; } = "";
    public int Port { get; init; }
    /// <summary>Host header and TLS SNI name; defaults to <see cref="Host"/>.</summary>
    public string? HostHeader { get; init; }
    public string Path { get; init; } = "/";
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(4);
    /// <summary>Consecutive successes needed to go from unhealthy to healthy.</summary>
    public int Rise { get; init; } = 3;
    /// <summary>Consecutive failures needed to go from healthy to unhealthy.</summary>
    public int Fall { get; init; } = 3;
    /// <summary>Re-probe interval after a failure until <see cref="Fall"/> is reached (fast confirmation).</summary>
    public TimeSpan ConfirmInterval { get; init; } = TimeSpan.FromMilliseconds(250);
    public IReadOnlyList<StatusRange> ExpectedStatus { get; init; } = StatusRange.Default2xx3xx;
    /// <summary>When set, the first 5,120 bytes of the body must contain this string.</summary>
    public string? BodyContains { get; init; }
    public bool Invert { get; init; }
    /// <summary>A disabled check is always treated as healthy (Route53).</summary>
    public bool Disabled { get; init; }
    /// <summary>HTTPS only: Route53 does not validate certificates, neither do we by default.</summary>
    public bool ValidateCertificate { get; init; }
    /// <summary>Checker locations this check runs from; empty means every location in <see cref="CheckersConfig"/>.</summary>
    public IReadOnlyList<string> Locations { get; init; } = [];
    /// <summary>Overrides <see cref="CheckersConfig.HealthyFraction"/> for this check.</summary>
    public double? HealthyFraction { get; init; }
    public IReadOnlyList<string> Children { get; init; } = [];
    public CalculatedRule Rule { get; init; } = CalculatedRule.All;
    public int AtLeast { get; init; }
    /// <summary>Postgres checks: the role required (<c>db-writer</c> records use <see cref="PostgresRole.Primary"/>).</summary>
    public PostgresRole PostgresRole { get; init; } = PostgresRole.Any;
    /// <summary>Postgres checks: database, user and password of the probe's connection.</summary>
    public string PostgresDatabase { get; init; } = "postgres";
    public string PostgresUser { get; init; } = "postgres";
    public string? PostgresPassword { get; init; }
    public SourceLocation Location { get; init; } = SourceLocation.None;
}
