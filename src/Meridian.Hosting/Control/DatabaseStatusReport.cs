using Meridian.Database.Failover;
using Meridian.Database.Status;

namespace Meridian.Hosting.Control;

/// <summary>What GET /v1/db/status and `meridian db status` show: every cluster and the recent database events.</summary>
public sealed record DatabaseStatusReport(IReadOnlyList<ClusterStatus> Clusters, IReadOnlyList<DatabaseEvent> Events)
{
    public static DatabaseStatusReport From(MeridianHost host, int events) => new(
        host.Databases.Select(d => d.Status()).ToArray(),
        host.DatabaseEvents.Snapshot().TakeLast(events).ToArray());
}
