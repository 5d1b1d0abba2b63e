namespace Meridian.Topology.Model;

/// <summary>The edge cache of each location: bounded by bytes in memory, optionally with a disk tier.</summary>
public sealed record EdgeCacheConfig
{
    public static readonly EdgeCacheConfig Default = new();

    public long MemoryBytes { get; init; } = 256L * 1024 * 1024;
    public string? DiskPath { get; init; }
    public long DiskBytes { get; init; }
}

/// <summary>A certificate for some aliases (SNI), PEM files.</summary>
public sealed record CertificateConfig(IReadOnlyList<string> Aliases, string CertificateFile, string KeyFile, SourceLocation Location);
