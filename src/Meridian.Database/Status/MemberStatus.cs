using Meridian.Database.Monitoring;

namespace Meridian.Database.Status;

/// <summary>One member as `meridian db status` shows it. Role: primary, replica, down, or fenced (a former writer awaiting rejoin).</summary>
public sealed record MemberStatus(
    string Name,
    string Region,
    string Listen,
    string Role,
    bool Reachable,
    int? Timeline,
    string? WalPosition,
    ReplicationLag? Lag,
    string? Error);
