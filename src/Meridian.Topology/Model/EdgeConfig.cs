using System.Net;

namespace Meridian.Topology.Model;

/// <summary>The edge (the tutorial's CloudFront): locations (listeners) and distributions served from them.</summary>
public sealed record EdgeConfig(IReadOnlyList<EdgeLocationConfig> Locations, IReadOnlyList<DistributionConfig> Distributions)
{
    public static readonly EdgeConfig Empty = new([], []);

    public EdgeCacheConfig Cache { get; init; } = EdgeCacheConfig.Default;
}

/// <summary>An edge location: its own listener addresses (and optionally the region it is nearest to).</summary>
public sealed record EdgeLocationConfig(string Name, string? Region, IReadOnlyList<IPEndPoint> Listen, SourceLocation Location)
{
    /// <summary>HTTPS listeners (TLS 1.2+, certificate per alias by SNI from the distributions).</summary>
    public IReadOnlyList<IPEndPoint> HttpsListen { get; init; } = [];
}

/// <summary>
/// A distribution: aliases (Host names) served by some or all locations, origins, origin groups, and the target
/// (origin or group) requests go to. Cache behaviours come with the caching part.
/// </summary>
public sealed record DistributionConfig
{
    public required string Name { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    /// <summary>Edge locations serving this distribution; empty means all.</summary>
    public IReadOnlyList<string> Locations { get; init; } = [];
    public IReadOnlyList<OriginConfig> Origins { get; init; } = [];
    public IReadOnlyList<OriginGroupConfig> OriginGroups { get; init; } = [];
    /// <summary>The origin or origin group of the default behaviour.</summary>
    public required string Target { get; init; }
    /// <summary>Ordered cache behaviours; the last is the default ("*"). Empty: one default behaviour to <see cref="Target"/>.</summary>
    public IReadOnlyList<CacheBehaviorConfig> Behaviors { get; init; } = [];
    /// <summary>CloudFront's error caching minimum TTL per status (default 10 s for 4xx/5xx it caches).</summary>
    public IReadOnlyDictionary<int, TimeSpan> ErrorCachingMinTtl { get; init; } = DefaultErrorCachingMinTtl;
    public IReadOnlyList<CertificateConfig> Certificates { get; init; } = [];

    /// <summary>The status codes CloudFront caches errors for, each 10 s by default.</summary>
    public static readonly IReadOnlyDictionary<int, TimeSpan> DefaultErrorCachingMinTtl =
        new[] { 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504 }.ToDictionary(s => s, _ => TimeSpan.FromSeconds(10));
    public SourceLocation Location { get; init; } = SourceLocation.None;
}

/// <summary>An origin with CloudFront's connection settings (defaults: 10 s connection timeout, 3 attempts, 30 s response timeout).</summary>
public sealed record OriginConfig
{
    public required string Name { get; init; }
    public required Uri Url { get; init; }
    public TimeSpan ConnectionTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public int ConnectionAttempts { get; init; } = 3;
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Active probe of the origin (beyond CloudFront), so a failing origin is skipped without paying its timeout.</summary>
    public OriginProbeConfig Probe { get; init; } = OriginProbeConfig.Default;
}

public sealed record OriginProbeConfig
{
    public static readonly OriginProbeConfig Default = new();

    public bool Enabled { get; init; } = true;
    public string Path { get; init; } = "/";
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);
    public int HealthyThreshold { get; init; } = 2;
    public int UnhealthyThreshold { get; init; } = 2;
}

/// <summary>An origin group: members in priority order (more than two allowed), failover status codes.</summary>
public sealed record OriginGroupConfig
{
    public static readonly IReadOnlyList<int> DefaultFailoverStatusCodes = [500, 502, 503, 504];

    public required string Name { get; init; }
    public required IReadOnlyList<string> Members { get; init; }
    public IReadOnlyList<int> FailoverOn { get; init; } = DefaultFailoverStatusCodes;
}
