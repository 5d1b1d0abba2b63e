namespace Meridian.Topology.Model;

/// <summary>
/// A PostgreSQL cluster Meridian orchestrates (the tutorial's RDS primary, Multi-AZ standby and cross-region read
/// replica): its members, the failover rules and the accounts it uses.
/// </summary>
public sealed record DatabaseClusterConfig
{
    public required string Name { get; init; }
    /// <summary>Members in declaration order (the order is the last tie-break when choosing a replica to promote).</summary>
    public IReadOnlyList<DatabaseMemberConfig> Members { get; init; } = [];
    /// <summary>The application database created on the primary.</summary>
    public string Database { get; init; } = "app";
    public DatabaseCredentials Credentials { get; init; } = DatabaseCredentials.Default;
    public DatabaseFailoverConfig Failover { get; init; } = DatabaseFailoverConfig.Default;
    /// <summary>Folder with initdb, pg_ctl, postgres...; null: discovered (pg_config --bindir, /usr/lib/postgresql/N/bin).</summary>
    public string? BinDir { get; init; }
    /// <summary>True: the servers already exist and run; Meridian monitors and fails them over but does not create them.</summary>
    public bool Adopt { get; init; }
    public SourceLocation Location { get; init; } = SourceLocation.None;

    /// <summary>The member declared with <c>role: primary</c> (the writer at set-up).</summary>
    public DatabaseMemberConfig InitialPrimary => Members.First(m => m.InitialRole == DatabaseMemberRole.Primary);

    public DatabaseMemberConfig? FindMember(string name) => Members.FirstOrDefault(m => m.Name == name);
}
