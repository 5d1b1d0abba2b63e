using System.Globalization;
using System.Text;

namespace Meridian.Testing;

/// <summary>
/// Topology YAML for database names, like the demo's: <c>db-writer</c> (multivalue, one record per member with a
/// <c>role: primary</c> postgres check, fail closed: only a writable primary is answered) with its
/// <c>_postgresql._tcp.db-writer</c> SRV twin giving the member's port, and <c>db-reader</c> (any healthy member).
/// Members are named m1, m2...; SRV targets are <c>m1.mydomain.test</c>... with A records of their addresses.
/// </summary>
public static class DatabaseDnsTopology
{
    public const string Zone = "mydomain.test";
    public const string Writer = "db-writer." + Zone;
    public const string Reader = "db-reader." + Zone;

    public static string Yaml(IReadOnlyList<PostgresTestServer> members, string interval = "1s", int rise = 1, int fall = 1)
    {
        var y = new StringBuilder();
        y.AppendLine("regions:");
        y.AppendLine("  us-east-1: { address: 127.0.0.11, continent: NA, country: US }");
        y.AppendLine("dns:");
        y.AppendLine("  listen: [127.0.0.1:53]"); // replaced by a free port (GslbTestServer)
        y.AppendLine("health_checks:");
        for (var i = 0; i < members.Count; i++)
        {
            var m = members[i];
            foreach (var role in new[] { "primary", "any" })
            {
                y.AppendLine(Invariant($"  m{i + 1}-{role}: {{ type: postgres, target: {m.Address}:{m.Port}, role: {role}, database: postgres, user: postgres, interval: {interval}, timeout: 1s, fall: {fall}, rise: {rise} }}"));
            }
        }

        y.AppendLine("zones:");
        y.AppendLine($"  {Zone}:");
        y.AppendLine($"    soa: {{ primary_ns: ns1.{Zone}, hostmaster: hostmaster.{Zone}, minimum: 1 }}");
        y.AppendLine($"    name_servers: [ns1.{Zone}]");
        y.AppendLine("    records:");
        y.AppendLine("      - { name: ns1, type: A, ttl: 3600, values: [127.0.0.1] }");
        for (var i = 0; i < members.Count; i++)
        {
            var m = members[i];
            var id = Invariant($"m{i + 1}");
            y.AppendLine(Invariant($"      - {{ name: {id}, type: A, ttl: 60, values: [{m.Address}] }}"));
            y.AppendLine(Invariant($"      - {{ name: db-writer, type: A, ttl: 1, set_id: {id}, routing: {{ multivalue: true }}, values: [{m.Address}], health_check: {id}-primary, when_all_unhealthy: fail_closed }}"));
            y.AppendLine(Invariant($"      - {{ name: _postgresql._tcp.db-writer, type: SRV, ttl: 1, set_id: {id}, routing: {{ multivalue: true }}, values: [\"0 0 {m.Port} {id}.{Zone}\"], health_check: {id}-primary, when_all_unhealthy: fail_closed }}"));
            y.AppendLine(Invariant($"      - {{ name: db-reader, type: A, ttl: 1, set_id: {id}, routing: {{ multivalue: true }}, values: [{m.Address}], health_check: {id}-any, when_all_unhealthy: fail_closed }}"));
            y.AppendLine(Invariant($"      - {{ name: _postgresql._tcp.db-reader, type: SRV, ttl: 1, set_id: {id}, routing: {{ multivalue: true }}, values: [\"0 0 {m.Port} {id}.{Zone}\"], health_check: {id}-any, when_all_unhealthy: fail_closed }}"));
        }

        return y.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
