using Meridian.Topology.Model;

namespace Meridian.Topology.Tests;

public sealed class RecordSetTests
{
    private const string R0 = "zones.mydomain.test.records[0]";
    private const string R1 = "zones.mydomain.test.records[1]";

    private static TopologyError Expect(TopologyLoadResult result, string path, string message, int recordIndex)
    {
        var error = Yaml.Has(result, path, message);
        Assert.Equal(Yaml.RecordLine(recordIndex), error.Line);
        return error;
    }

    [Fact]
    public void Load_RoutedRecordWithoutSetId_ReportsSetIdRequired()
    {
        var result = Yaml.Records("- { name: a, type: A, routing: { weighted: 1 }, values: [192.0.2.1], health_check: hc1 }");
        Expect(result, $"{R0}.set_id", "weighted records need a set_id", 0);
    }

    [Fact]
    public void Load_SimpleRecordWithSetId_ReportsAtSetId()
    {
        var result = Yaml.Records("- { name: a, type: A, set_id: x, values: [192.0.2.1] }");
        var error = Expect(result, $"{R0}.set_id", "simple records have no set_id", 0);
        Assert.Equal(37, error.Column);
    }

    [Fact]
    public void Load_TwoSimpleRecordsSameNameAndType_ReportsSecond()
    {
        var result = Yaml.Records("- { name: a, type: A, values: [192.0.2.1] }", "- { name: A, type: A, values: [192.0.2.2] }");
        Expect(result, R1, "only one simple", 1);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void Load_MixedRoutingKinds_ReportsSecond()
    {
        var result = Yaml.Records(
            "- { name: a, type: A, set_id: x, routing: { weighted: 1 }, values: [192.0.2.1], health_check: hc1 }",
            "- { name: a, type: A, set_id: y, routing: { latency: us-east-1 }, values: [192.0.2.2], health_check: hc1 }");
        Expect(result, R1, "must share one routing policy", 1);
    }

    [Fact]
    public void Load_DuplicateSetId_ReportsSecond()
    {
        var result = Yaml.Records(
            "- { name: a, type: A, set_id: x, routing: { weighted: 1 }, values: [192.0.2.1], health_check: hc1 }",
            "- { name: a, type: A, set_id: x, routing: { weighted: 2 }, values: [192.0.2.2], health_check: hc1 }");
        Expect(result, $"{R1}.set_id", "duplicate set_id 'x'", 1);
    }

    [Fact]
    public void Load_SameSetIdOnDifferentTypes_IsAllowed()
    {
        var result = Yaml.Records(
            "- { name: a, type: A, set_id: x, routing: { weighted: 1 }, values: [192.0.2.1], health_check: hc1 }",
            "- { name: a, type: AAAA, set_id: x, routing: { weighted: 1 }, values: ['::1'], health_check: hc1 }");
        Yaml.NoErrors(result);
    }

    [Fact]
    public void Load_TwoFailoverPrimaries_ReportsSecond()
    {
        var result = Yaml.Records(
            "- { name: a, type: A, set_id: x, routing: { failover: primary }, values: [192.0.2.1], health_check: hc1 }",
            "- { name: a, type: A, set_id: y, routing: { failover: primary }, values: [192.0.2.2], health_check: hc1 }");
        Expect(result, $"{R1}.routing", "more than one primary failover record", 1);
    }

    [Fact]
    public void Load_TwoGeolocationDefaults_ReportsSecond()
    {
        var result = Yaml.Records(
            "- { name: a, type: A, set_id: x, routing: { geolocation: default }, values: [192.0.2.1] }",
            "- { name: a, type: A, set_id: y, routing: { geolocation: '*' }, values: [192.0.2.2] }");
        Expect(result, $"{R1}.routing", "more than one default geolocation record", 1);
    }

    [Fact]
    public void Load_DuplicateGeolocationCountry_ReportsSecond()
    {
        var result = Yaml.Records(
            "- { name: a, type: A, set_id: x, routing: { geolocation: { country: GB } }, values: [192.0.2.1] }",
            "- { name: a, type: A, set_id: y, routing: { geolocation: { country: gb } }, values: [192.0.2.2] }");
        Expect(result, $"{R1}.routing", "geolocation record for GB", 1);
    }

    [Fact]
    public void Load_CnameWithOtherType_ReportsAtCname()
    {
        var result = Yaml.Records("- { name: a, type: TXT, values: [x] }", "- { name: a, type: CNAME, values: [b.mydomain.test] }");
        Expect(result, $"{R1}.name", "cannot coexist", 1);
    }

    [Fact]
    public void Load_CnameAtApex_ReportsError()
    {
        var result = Yaml.Records("- { name: '@', type: CNAME, values: [b.example.test] }");
        Expect(result, $"{R0}.name", "apex", 0);
    }

    [Fact]
    public void Load_AliasTargetWithoutRecordsOfType_ReportsAtTarget()
    {
        var result = Yaml.Records("- { name: b, type: AAAA, values: ['::1'] }", "- { name: a, type: A, alias: { target: b } }");
        var error = Expect(result, $"{R1}.alias.target", "has no A records", 1);
        Assert.Equal(46, error.Column);
    }

    [Fact]
    public void Load_AliasOutsideZoneOrSelf_ReportsError()
    {
        var result = Yaml.Records("- { name: a, type: A, alias: { target: x.other.test. } }", "- { name: b, type: A, alias: { target: b } }");
        Expect(result, $"{R0}.alias.target", "outside zone", 0);
        Expect(result, $"{R1}.alias.target", "cannot alias itself", 1);
    }

    [Fact]
    public void Load_ApexNsRecord_ReportsUseNameServers()
    {
        var result = Yaml.Records("- { name: '@', type: NS, values: [ns1.mydomain.test] }");
        Expect(result, R0, "name_servers", 0);
    }

    [Fact]
    public void Load_DelegationNsRecord_IsAllowed()
    {
        Yaml.NoErrors(Yaml.Records("- { name: sub, type: NS, values: [ns1.sub.mydomain.test., ns2.example.test] }"));
    }

    [Theory]
    [InlineData("latency: us-east-1")]
    [InlineData("failover: primary")]
    [InlineData("weighted: 10")]
    public void Load_RoutedRecordWithoutHealth_WarnsNeverFailsOver(string routing)
    {
        var result = Yaml.Records($"- {{ name: a, type: A, set_id: x, routing: {{ {routing} }}, values: [192.0.2.1] }}");
        Yaml.NoErrors(result);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(R0, warning.FieldPath);
        Assert.Contains("never fails over", warning.Message);
        Assert.NotNull(result.Config);
    }

    [Fact]
    public void Load_AliasEvaluatingTargetHealth_DoesNotWarn()
    {
        var result = Yaml.Records(
            "- { name: b, type: A, values: [192.0.2.1] }",
            "- { name: a, type: A, set_id: x, routing: { latency: us-east-1 }, alias: { target: b, evaluate_target_health: true } }");
        Yaml.NoErrors(result);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Load_AliasCycle_ReportsCyclePath()
    {
        var result = Yaml.Records(
            "- { name: a, type: A, alias: { target: b } }",
            "- { name: b, type: A, alias: { target: c } }",
            "- { name: c, type: A, alias: { target: a } }");
        var error = Assert.Single(result.Errors);
        Assert.Equal("zones.mydomain.test.records[2].alias.target", error.FieldPath);
        Assert.Equal("alias cycle: a.mydomain.test -> b.mydomain.test -> c.mydomain.test -> a.mydomain.test (A)", error.Message);
    }

    [Fact]
    public void Load_AliasChainWithoutCycle_IsAllowed()
    {
        Yaml.NoErrors(Yaml.Records(
            "- { name: a, type: A, alias: { target: b } }",
            "- { name: b, type: A, alias: { target: c } }",
            "- { name: c, type: A, values: [192.0.2.1] }"));
    }
}
