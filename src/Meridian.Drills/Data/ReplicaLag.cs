namespace Meridian.Drills.Data;

/// <summary>How far one replica was behind the primary (bytes of WAL not replayed, and seconds when PostgreSQL knows).</summary>
public sealed record ReplicaLag(string Member, string? Region, long? ReplayBytes, double? ReplaySeconds);
