using Meridian.Database.Failover;
using Meridian.Topology.Model;

namespace Meridian.Database.Status;

/// <summary>A cluster as GET /v1/db/status and `meridian db status` show it.</summary>
public sealed record ClusterStatus(
    string Name,
    FailoverState State,
    string Reason,
    string Writer,
    bool AcceptsWrites,
    IReadOnlyList<MemberStatus> Members,
    FailoverRecord? LastFailover)
{
    public static ClusterStatus From(DatabaseClusterConfig config, FailoverController controller)
    {
        var observations = controller.Members;
        var writerRows = observations.TryGetValue(controller.Writer, out var w) && w.IsWritable ? w.Replication : [];
        var members = config.Members.Select(m =>
        {
            observations.TryGetValue(m.Name, out var o);
            var role = o is null ? "unknown"
                : controller.PendingRejoin.Contains(m.Name) ? "fenced"
                : !o.Reachable ? "down"
                : o.InRecovery ? "replica" : "primary";
            return new MemberStatus(m.Name, m.Region, m.Listen.ToString(), role, o?.Reachable ?? false, o?.Timeline,
                o?.WalPosition is { } p ? Lsn.Format(p) : null, writerRows.FirstOrDefault(r => r.Member == m.Name), o?.Error);
        }).ToArray();
        return new ClusterStatus(config.Name, controller.State, controller.StateReason, controller.Writer, controller.AcceptsWrites, members, controller.LastFailover);
    }
}
