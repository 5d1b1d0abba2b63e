using System.Net;
using Meridian.Database;
using Meridian.Hosting.Outage;
using Meridian.Topology.Model;

namespace Meridian.Hosting.Components;

/// <summary>
/// One PostgreSQL member as a region component: a region outage stops its server (as the region's database would
/// vanish) and the restore starts it again, so a drill exercises the failover controller — promotion of a member in
/// another region, fencing of the old primary, its rejoin — as the tutorial's RDS step needs.
/// </summary>
internal sealed class DatabaseMemberComponent(DatabaseCluster cluster, DatabaseMemberConfig member) : IRegionComponent
{
    public string Region => member.Region;

    public string Name => $"database {cluster.Config.Name}/{member.Name}";

    public IReadOnlyList<IPEndPoint> Endpoints => [member.Listen];

    public Task StopAsync(CancellationToken token) => cluster.StopMemberAsync(member.Name, token);

    public Task StartAsync(CancellationToken token) => cluster.StartMemberAsync(member.Name, token);
}
