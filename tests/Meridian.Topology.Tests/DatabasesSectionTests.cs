using Meridian.Topology;
using Meridian.Topology.Model;

namespace Meridian.Topology.Tests;

public sealed class DatabasesSectionTests
{
    private const string Regions = "regions:\n  us-east-1: { address: 127.0.0.11 }\n  eu-west-1: { address: 127.0.0.12 }\n";

    private const string Valid = Regions + """
        databases:
          app-db:
            database: shop
            credentials: { user: admin, password: s3cret!, replication_user: repl, replication_password: r3pl }
            failover: { max_lag_on_failover: 2MB, unhealthy_for: 5s, check_interval: 500ms }
            members:
              primary: { role: primary, region: us-east-1, listen: 127.0.0.11:5432, data_dir: /var/tmp/m/primary }
              standby: { region: us-east-1, listen: 127.0.0.11:5433, data_dir: /var/tmp/m/standby, synchronous: true }
              replica: { region: eu-west-1, listen: 127.0.0.12:5432, data_dir: data/replica }
        """;

    [Fact]
    public void Load_FullCluster_ReadsMembersFailoverAndCredentials()
    {
        var result = TopologyLoader.LoadFromText(Valid, "/etc/meridian/t.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var db = Assert.Single(result.Config!.Databases);
        Assert.Equal("app-db", db.Name);
        Assert.Equal("shop", db.Database);
        Assert.Equal(new DatabaseCredentials("admin", "s3cret!", "repl", "r3pl"), db.Credentials);
        Assert.Equal(2 * 1024 * 1024, db.Failover.MaxLagOnFailover);
        Assert.Equal(TimeSpan.FromSeconds(5), db.Failover.UnhealthyFor);
        Assert.Equal(TimeSpan.FromMilliseconds(500), db.Failover.CheckInterval);
        Assert.Equal(["primary", "standby", "replica"], db.Members.Select(m => m.Name));
        Assert.Equal("primary", db.InitialPrimary.Name);
        Assert.True(db.FindMember("standby")!.Synchronous);
        Assert.Equal("/etc/meridian/data/replica", db.FindMember("replica")!.DataDir);
        Assert.Equal(5433, db.FindMember("standby")!.Listen.Port);
    }

    [Fact]
    public void Load_TwoPrimaries_ErrorNamesBoth()
    {
        var yaml = Regions + "databases:\n  d:\n    members:\n      a: { role: primary, region: us-east-1, listen: 127.0.0.11:5432, data_dir: /x/a }\n      b: { role: primary, region: eu-west-1, listen: 127.0.0.12:5432, data_dir: /x/b }\n";
        var result = TopologyLoader.LoadFromText(yaml, "t.yaml");
        Assert.Contains(result.Errors, e => e.FieldPath == "databases.d.members" && e.Message.Contains("2 members have role: primary (a, b)"));
    }

    [Fact]
    public void Load_NoPrimary_Reported()
    {
        var yaml = Regions + "databases:\n  d:\n    members:\n      a: { region: us-east-1, listen: 127.0.0.11:5432, data_dir: /x/a }\n";
        var result = TopologyLoader.LoadFromText(yaml, "t.yaml");
        Assert.Contains(result.Errors, e => e.Message.Contains("no member has role: primary"));
    }

    [Fact]
    public void Load_BadFields_AllReportedWithLineAndPath()
    {
        var yaml = Regions + """
            databases:
              d:
                failover: { max_lag_on_failover: lots, unhealthy_for: 0s }
                credentials: { password: "it's" }
                members:
                  a: { role: primary, region: us-east-2, listen: 127.0.0.11:5432, data_dir: /x/a, synchronous: true }
                  b: { region: eu-west-1, listen: 127.0.0.11:5432, data_dir: /x/a }
                  c: { region: eu-west-1, listen: "0.0.0.0:5432", data_dir: /x/c }
                  Bad-Name: { region: eu-west-1, listen: 127.0.0.12:5439, data_dir: /x/d }
            """;
        var result = TopologyLoader.LoadFromText(yaml, "t.yaml");
        Assert.Contains(result.Errors, e => e.FieldPath == "databases.d.failover.max_lag_on_failover" && e.Line == 6);
        Assert.Contains(result.Errors, e => e.FieldPath == "databases.d.failover.unhealthy_for");
        Assert.Contains(result.Errors, e => e.FieldPath == "databases.d.credentials.password" && e.Message.Contains("quotes"));
        Assert.Contains(result.Errors, e => e.FieldPath == "databases.d.members.a.region" && e.Message.Contains("did you mean 'us-east-1'"));
        Assert.Contains(result.Errors, e => e.FieldPath == "databases.d.members.a.synchronous");
        Assert.Contains(result.Errors, e => e.FieldPath == "databases.d.members.b.listen" && e.Message.Contains("clashes with databases.d.members.a.listen"));
        Assert.Contains(result.Errors, e => e.FieldPath == "databases.d.members.b.data_dir" && e.Message.Contains("already used by databases.d.members.a.data_dir"));
        Assert.Contains(result.Errors, e => e.FieldPath == "databases.d.members.c.listen" && e.Message.Contains("specific address"));
        Assert.Contains(result.Errors, e => e.FieldPath == "databases.d.members.Bad-Name" && e.Line == 12);
    }

    [Fact]
    public void Load_ListenClashWithLoadBalancer_Reported()
    {
        var yaml = Regions + "load_balancers:\n  lb: { region: us-east-1, listen: 127.0.0.11:5432, targets: [127.0.0.11:9000] }\n"
            + "databases:\n  d:\n    members:\n      a: { role: primary, region: us-east-1, listen: 127.0.0.11:5432, data_dir: /x/a }\n";
        var result = TopologyLoader.LoadFromText(yaml, "t.yaml");
        Assert.Contains(result.Errors, e => e.FieldPath == "databases.d.members.a.listen" && e.Message.Contains("load_balancers.lb.listen"));
    }

    [Fact]
    public void Load_AdoptWithoutDataDir_Accepted()
    {
        var yaml = Regions + "databases:\n  d:\n    adopt: true\n    members:\n      a: { role: primary, region: us-east-1, listen: 127.0.0.11:5432 }\n";
        var result = TopologyLoader.LoadFromText(yaml, "t.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.True(result.Config!.Databases[0].Adopt);
        Assert.Equal("", result.Config.Databases[0].Members[0].DataDir);
    }
}
