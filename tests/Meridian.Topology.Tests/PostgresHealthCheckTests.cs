using Meridian.Topology.Model;

namespace Meridian.Topology.Tests;

/// <summary><c>type: postgres</c> health checks (what db-writer / db-reader records use).</summary>
public sealed class PostgresHealthCheckTests
{
    private static TopologyLoadResult Check(string fields) =>
        Yaml.Load("health_checks:\n  a: { " + fields + " }\n");

    [Fact]
    public void Load_PostgresCheck_ReadsRoleCredentialsAndDefaultPort()
    {
        var result = Check("type: postgres, target: 127.0.0.11, role: primary, database: app, user: meridian, password: pw");
        Yaml.NoErrors(result);
        var check = result.Config!.FindHealthCheck("a")!;

        Assert.Equal(HealthCheckType.Postgres, check.Type);
        Assert.Equal(("127.0.0.11", 5432), (check.Host, check.Port));
        Assert.Equal(PostgresRole.Primary, check.PostgresRole);
        Assert.Equal(("app", "meridian", "pw"), (check.PostgresDatabase, check.PostgresUser, check.PostgresPassword));
    }

    [Fact]
    public void Load_PostgresCheckWithoutRole_AnyRoleAndPostgresUser()
    {
        var result = Check("type: postgres, target: 127.0.0.12:5433");
        Yaml.NoErrors(result);
        var check = result.Config!.FindHealthCheck("a")!;

        Assert.Equal((PostgresRole.Any, 5433, "postgres", "postgres"), (check.PostgresRole, check.Port, check.PostgresUser, check.PostgresDatabase));
    }

    [Theory]
    [InlineData("type: postgres, target: 127.0.0.11, role: leader", "health_checks.a.role")]
    [InlineData("type: postgres, target: 127.0.0.11, path: /health", "health_checks.a.path")]
    [InlineData("type: postgres, target: 127.0.0.11, match: { status: [200] }", "health_checks.a.match")]
    [InlineData("type: http, target: 127.0.0.11:80, role: primary", "health_checks.a.role")]
    [InlineData("type: tcp, target: 127.0.0.11:80, password: x", "health_checks.a.password")]
    public void Load_MisplacedOrInvalidPostgresField_ReportsFieldPath(string fields, string path)
    {
        var error = Yaml.Single(Check(fields), path);
        Assert.Equal(2, error.Line);
    }
}
