using Meridian.SampleApp.Data;
using Meridian.Topology.Model;

namespace Meridian.Cli.Demo;

/// <summary>
/// How the demo's apps reach the database tier: db-writer / db-reader of the topology's zone, resolved at Meridian's
/// own DNS server (its first listener), with the databases section's default credentials (meridian / app).
/// </summary>
internal static class DemoDatabase
{
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
