namespace Meridian.Topology.Model;

/// <summary>
/// The superuser Meridian administers the servers with (also the application's user in the demo) and the
/// replication account the replicas stream with.
/// </summary>
public sealed record DatabaseCredentials(string User, string Password, string ReplicationUser, string ReplicationPassword)
{
    public static readonly DatabaseCredentials Default = new("meridian", "meridian", "replicator", "replicator");
}
