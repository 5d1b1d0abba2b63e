namespace Meridian.Topology.Model;

/// <summary>The role a member is created with; at run time roles move (failover, switchover).</summary>
public enum DatabaseMemberRole
{
    Primary,
    Replica,
}
