using System.Net;
using Meridian.Database;
using Meridian.Database.Binaries;
using Meridian.SampleApp.Data;
using Meridian.Topology.Model;

namespace Meridian.Cli.Demo;

/// <summary>
/// The demo's database tier (the tutorial's RDS step) when the PostgreSQL server programs are installed: a primary
/// on 127.0.0.11:5432 with a synchronous in-region standby on 127.0.0.11:5433 (Multi-AZ) and a cross-region
/// replica on 127.0.0.12:5432. Added in code rather than in two-region.yaml, so the other users of that file (tests,
/// `meridian run`) never start PostgreSQL; a topology with its own `databases:` is left as it is. The apps reach it
/// through db-writer / db-reader of the topology's zone (<see cref="Options"/>), resolved at Meridian's
/// own DNS server (its first listener), with the databases section's default credentials (meridian / app).
/// </summary>
internal static class DemoDatabase
{
    public const string Root = "/var/tmp/meridian-demo/app-db";

    public static TopologyConfig With(TopologyConfig topology, TextWriter output)
    {
        if (topology.Databases.Count > 0 || topology.FindRegion("us-east-1") is null || topology.FindRegion("eu-west-1") is null)
        {
            return topology;
        }
        try
        {
            PostgresBinaries.Locate(null, "databases.app-db.bin_dir");
        }
        catch (DatabaseException ex)
        {
            output.WriteLine($"database tier: off ({ex.Message})");
            return topology;
        }
        return topology with { Databases = [Cluster] };
    }

    public static readonly DatabaseClusterConfig Cluster = new()
    {
        Name = "app-db",
        Members =
        [
            Member("primary", "us-east-1", "127.0.0.11", 5432, DatabaseMemberRole.Primary, false),
            Member("standby", "us-east-1", "127.0.0.11", 5433, DatabaseMemberRole.Replica, true),
            Member("replica", "eu-west-1", "127.0.0.12", 5432, DatabaseMemberRole.Replica, false),
        ],
    };

    private static DatabaseMemberConfig Member(string name, string region, string address, int port, DatabaseMemberRole role, bool synchronous) => new()
    {
        Name = name,
        Region = region,
        Listen = new IPEndPoint(IPAddress.Parse(address), port),
        DataDir = Path.Combine(Root, name),
        InitialRole = role,
        Synchronous = synchronous,
    };

    /// <summary>The apps' database options, or null when the zone has no db-writer name.</summary>
    public static DatabaseOptions? Options(TopologyConfig topology, string user = "meridian", string password = "meridian", string database = "app")
    {
        foreach (var zone in topology.Zones)
        {
            var writer = $"db-writer.{zone.Name}";
            var reader = $"db-reader.{zone.Name}";
            if (topology.Dns.Listen.Count > 0 && zone.Records.Any(r => r.Name == writer))
            {
                return new DatabaseOptions
                {
                    Writer = new DatabaseEndpoint(writer, DatabaseEndpoint.DefaultPort),
                    Reader = zone.Records.Any(r => r.Name == reader) ? new DatabaseEndpoint(reader, DatabaseEndpoint.DefaultPort) : null,
                    User = user,
                    Password = password,
                    Database = database,
                    Dns = topology.Dns.Listen[0],
                };
            }
        }

        return null;
    }
}
