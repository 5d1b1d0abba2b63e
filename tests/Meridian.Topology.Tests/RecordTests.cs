using Meridian.Topology.Model;

namespace Meridian.Topology.Tests;

public sealed class RecordTests
{
    private const string R0 = "zones.mydomain.test.records[0]";
    private const string R1 = "zones.mydomain.test.records[1]";

    private static RecordConfig Only(params string[] lines)
    {
        var result = Yaml.Records(lines);
        Yaml.NoErrors(result);
        return result.Config!.Zones[0].Records[0];
    }

    [Theory]
    [InlineData("app")]
    [InlineData("App")]
    [InlineData("app.mydomain.test")]
    [InlineData("App.MyDomain.Test.")]
    public void Load_RecordName_IsNormalisedToAbsoluteLowerCase(string name)
    {
        Assert.Equal("app.mydomain.test", Only($"- {{ name: '{name}', type: A, values: [192.0.2.1] }}").Name);
    }

    [Fact]
    public void Load_ApexAndAliasTarget_AreRelativeToZone()
    {
        var result = Yaml.Records(
            "- { name: '@', type: A, values: [192.0.2.1] }",
            "- { name: www, type: A, alias: { target: '@' } }",
            "- { name: w2, type: A, alias: { target: Mydomain.Test. } }");
        Yaml.NoErrors(result);
        var records = result.Config!.Zones[0].Records;
        Assert.Equal("mydomain.test", records[0].Name);
        Assert.Equal(new AliasConfig("mydomain.test", false), records[1].Alias);
        Assert.Equal("mydomain.test", records[2].Alias!.Target);
    }

    [Fact]
    public void Load_RecordDefaults_UseZoneTtlAndSimpleRouting()
    {
        var record = Only("- { name: a, type: TXT, values: 'hello world' }");
        Assert.Equal(300u, record.Ttl);
        Assert.Same(RoutingPolicy.Simple.Instance, record.Routing);
        Assert.Equal(["hello world"], record.Values);
        Assert.Equal(Yaml.RecordLine(0), record.Location.Line);
    }

    [Theory]
    [InlineData("- { name: other.test., type: A, values: [192.0.2.1] }", "name", "outside zone")]
    [InlineData("- { name: 'a..b', type: A, values: [192.0.2.1] }", "name", "empty label")]
    [InlineData("- { name: 'a b', type: A, values: [192.0.2.1] }", "name", "contains ' '")]
    [InlineData("- { name: a, type: AAA, values: [192.0.2.1] }", "type", "did you mean 'AAAA'?")]
    [InlineData("- { name: a, type: SOA, values: [192.0.2.1] }", "type", "unknown value")]
    [InlineData("- { name: a, type: A, ttl: -1, values: [192.0.2.1] }", "ttl", "between 0 and 2147483647")]
    [InlineData("- { name: a, type: A, ttl: 2147483648, values: [192.0.2.1] }", "ttl", "between 0 and 2147483647")]
    [InlineData("- { name: a, type: A, values: ['::1'] }", "values[0]", "IPv4")]
    [InlineData("- { name: a, type: A, values: ['1'] }", "values[0]", "IPv4")]
    [InlineData("- { name: a, type: AAAA, values: [192.0.2.1] }", "values[0]", "IPv6")]
    [InlineData("- { name: a, type: CNAME, values: ['bad name!'] }", "values[0]", "domain name")]
    [InlineData("- { name: a, type: NS, values: ['x..y'] }", "values[0]", "domain name")]
    [InlineData("- { name: a, type: MX, values: [mail.mydomain.test] }", "values[0]", "preference name")]
    [InlineData("- { name: a, type: MX, values: ['70000 mail.mydomain.test'] }", "values[0]", "preference")]
    [InlineData("- { name: a, type: SRV, values: ['1 2 mail.mydomain.test'] }", "values[0]", "priority weight port target")]
    [InlineData("- { name: a, type: SRV, values: ['1 2 99999 sip.mydomain.test'] }", "values[0]", "port")]
    [InlineData("- { name: a, type: CAA, values: ['0 issue letsencrypt.org'] }", "values[0]", "flags tag")]
    [InlineData("- { name: a, type: CAA, values: ['300 issue \"x\"'] }", "values[0]", "flags")]
    [InlineData("- { name: a, type: A, values: [] }", "values", "must not be empty")]
    [InlineData("- { name: a, type: A, values: [192.0.2.1, 192.0.2.1] }", "values[1]", "duplicate value")]
    [InlineData("- { name: a, type: A, values: [{ ip: 192.0.2.1 }] }", "values[0]", "expected a value")]
    [InlineData("- { name: a, type: A, alias: { target: '' } }", "alias.target", "must not be empty")]
    [InlineData("- { name: '', type: A, values: [192.0.2.1] }", "name", "must not be empty")]
    [InlineData("- { name: a, type: CNAME, values: [b.mydomain.test, c.mydomain.test] }", "values", "exactly one value")]
    [InlineData("- { name: a, type: A, health_check: hc2, values: [192.0.2.1] }", "health_check", "did you mean 'hc1'?")]
    [InlineData("- { name: a, type: A, values: [192.0.2.1], when_all_unhealthy: { fallback: [not-ip] } }", "when_all_unhealthy.fallback[0]", "IPv4")]
    [InlineData("- { name: a, type: A, values: [192.0.2.1], when_all_unhealthy: fail_opn }", "when_all_unhealthy", "did you mean 'fail_open'?")]
    [InlineData("- { name: a, type: A, set_id: x, routing: { latncy: us-east-1 }, values: [192.0.2.1] }", "routing.latncy", "did you mean 'latency'?")]
    [InlineData("- { name: a, type: A, set_id: x, routing: { latency: us-east-2 }, values: [192.0.2.1] }", "routing.latency", "did you mean 'us-east-1'?")]
    [InlineData("- { name: a, type: A, set_id: x, routing: { failover: tertiary }, values: [192.0.2.1] }", "routing.failover", "primary, secondary")]
    [InlineData("- { name: a, type: A, set_id: x, routing: { weighted: 256 }, values: [192.0.2.1] }", "routing.weighted", "between 0 and 255")]
    [InlineData("- { name: a, type: A, set_id: x, routing: { geolocation: { continent: XX } }, values: [192.0.2.1] }", "routing.geolocation.continent", "unknown continent")]
    [InlineData("- { name: a, type: A, set_id: x, routing: { geolocation: { country: GBR } }, values: [192.0.2.1] }", "routing.geolocation.country", "2-letter")]
    [InlineData("- { name: a, type: A, set_id: x, routing: { geolocation: { continent: EU, country: GB } }, values: [192.0.2.1] }", "routing.geolocation", "not both")]
    [InlineData("- { name: a, type: A, set_id: x, routing: { geolocation: nowhere }, values: [192.0.2.1] }", "routing.geolocation", "expected default")]
    [InlineData("- { name: a, type: A, set_id: x, routing: { ip: { collection: nope, location: '*' } }, values: [192.0.2.1] }", "routing.ip.collection", "unknown CIDR collection")]
    [InlineData("- { name: a, type: A, set_id: x, routing: { multivalue: true }, values: [192.0.2.1, 192.0.2.2] }", "values", "exactly one value")]
    public void Load_InvalidRecord_ReportsFieldPathOnRecordLine(string line, string field, string message)
    {
        var result = Yaml.Records(line);
        var error = Yaml.Has(result, $"{R0}.{field}", message);
        Assert.Equal(Yaml.RecordLine(0), error.Line);
        Assert.True(result.Errors.Count == 1, string.Join("\n", result.Errors));
    }

    [Theory]
    [InlineData("- { name: a, type: A }", "a record needs values or an alias")]
    [InlineData("- { name: a, type: A, values: [192.0.2.1], alias: { target: b } }", "not both")]
    [InlineData("- { name: a, type: A, set_id: x, routing: { weighted: 1, latency: us-east-1 }, values: [192.0.2.1] }", "exactly one")]
    public void Load_InvalidRecordShape_ReportsAtRecord(string line, string message)
    {
        var result = Yaml.Records(line);
        Assert.Contains(result.Errors, e => e.FieldPath.StartsWith(R0, StringComparison.Ordinal) && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MisspeltAliasKey_SuggestsEvaluateTargetHealth()
    {
        var result = Yaml.Records("- { name: a, type: A, alias: { target: b, evaluate: true } }", "- { name: b, type: A, values: [192.0.2.1] }");
        Assert.Contains("did you mean 'evaluate_target_health'?", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Load_LabelLongerThan63_ReportsError()
    {
        var result = Yaml.Records($"- {{ name: {new string('a', 64)}, type: A, values: [192.0.2.1] }}");
        Assert.Contains("at most 63", Yaml.Single(result, $"{R0}.name").Message);
    }

    [Fact]
    public void Load_NameLongerThan253_ReportsError()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('a', 60), 4));
        var result = Yaml.Records($"- {{ name: {name}, type: A, values: [192.0.2.1] }}");
        Assert.Contains("at most 253", Yaml.Single(result, $"{R0}.name").Message);
    }

    [Fact]
    public void Load_AllRoutingKinds_AreRead()
    {
        var yaml = "cidr_collections:\n  office: { london: [10.0.0.0/8] }\n" + Yaml.ZoneHeader + string.Join("\n", new[]
        {
            "- { name: f, type: A, set_id: p, routing: { failover: primary }, values: [192.0.2.1], health_check: hc1 }",
            "- { name: l, type: A, set_id: u, routing: { latency: us-east-1 }, values: [192.0.2.1], health_check: hc1 }",
            "- { name: w, type: A, set_id: w, routing: { weighted: 0 }, values: [192.0.2.1], health_check: hc1 }",
            "- { name: g, type: A, set_id: g, routing: { geolocation: { country: us, subdivision: ca } }, values: [192.0.2.1] }",
            "- { name: g, type: A, set_id: d, routing: { geolocation: default }, values: [192.0.2.1] }",
            "- { name: i, type: A, set_id: i, routing: { ip: { collection: office, location: london } }, values: [192.0.2.1] }",
            "- { name: i, type: A, set_id: d, routing: { ip: { collection: office, location: '*' } }, values: [192.0.2.1] }",
            "- { name: m, type: A, set_id: m, routing: { multivalue: true }, values: [192.0.2.1] }",
            "- { name: s, type: A, routing: { simple: true }, values: [192.0.2.1] }",
        }.Select(l => "      " + l)) + "\n";
        var result = Yaml.Load(yaml);
        Yaml.NoErrors(result);
        Assert.Empty(result.Warnings);
        var r = result.Config!.Zones[0].Records;
        Assert.Equal(new RoutingPolicy.Failover(FailoverRole.Primary), r[0].Routing);
        Assert.Equal(new RoutingPolicy.Latency("us-east-1"), r[1].Routing);
        Assert.Equal(new RoutingPolicy.Weighted(0), r[2].Routing);
        Assert.Equal(new RoutingPolicy.Geolocation(null, "US", "CA"), r[3].Routing);
        Assert.True(((RoutingPolicy.Geolocation)r[4].Routing).IsDefault);
        Assert.Equal(new RoutingPolicy.IpBased("office", "london"), r[5].Routing);
        Assert.True(((RoutingPolicy.IpBased)r[6].Routing).IsDefault);
        Assert.Same(RoutingPolicy.Multivalue.Instance, r[7].Routing);
        Assert.Same(RoutingPolicy.Simple.Instance, r[8].Routing);
    }

    [Fact]
    public void Load_IpRoutingUnknownLocation_SuggestsLocation()
    {
        var yaml = "cidr_collections:\n  office: { london: [10.0.0.0/8] }\n" + Yaml.ZoneHeader
            + "      - { name: i, type: A, set_id: i, routing: { ip: { collection: office, location: londn } }, values: [192.0.2.1] }\n";
        Assert.Contains("did you mean 'london'?", Yaml.Single(Yaml.Load(yaml), $"{R0}.routing.ip.location").Message);
    }
}
