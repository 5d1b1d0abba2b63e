using Meridian.Topology.Model;

namespace Meridian.Topology.Tests;

public sealed class ZoneTests
{
    private const string Soa = "soa: { primary_ns: ns1.mydomain.test, hostmaster: hostmaster.mydomain.test }";

    [Fact]
    public void Load_DuplicateZoneAfterNormalisation_ReportsSecond()
    {
        var result = Yaml.Load($"zones:\n  mydomain.test: {{ {Soa} }}\n  MyDomain.Test.: {{ {Soa} }}\n");
        var error = Yaml.Single(result, "zones.MyDomain.Test.");
        Assert.Equal((3, 3), (error.Line, error.Column));
        Assert.Contains("duplicate", error.Message);
    }

    [Fact]
    public void Load_ZoneWithoutSoa_ReportsRequired()
    {
        var result = Yaml.Load("zones:\n  mydomain.test: { records: [] }\n");
        Assert.Contains("'soa' is required", Yaml.Single(result, "zones.mydomain.test.soa").Message);
    }

    [Fact]
    public void Load_SoaDefaults_AreRoute53Values()
    {
        var result = Yaml.Load($"zones:\n  MyDomain.Test.: {{ {Soa} }}\n");
        Yaml.NoErrors(result);
        var zone = result.Config!.Zones[0];
        Assert.Equal("mydomain.test", zone.Name);
        Assert.Equal(new SoaConfig("ns1.mydomain.test", "hostmaster.mydomain.test", 1, 7200, 900, 1209600, 86400, 900), zone.Soa);
        Assert.Equal(300u, zone.DefaultTtl);
    }

    [Theory]
    [InlineData("soa: { primary_ns: 'bad name', hostmaster: h.mydomain.test }", "zones.mydomain.test.soa.primary_ns")]
    [InlineData("soa: { primary_ns: ns1.mydomain.test }", "zones.mydomain.test.soa.hostmaster")]
    [InlineData(Soa + ", default_ttl: -5", "zones.mydomain.test.default_ttl")]
    [InlineData(Soa + ", name_servers: [ns1.mydomain.test, NS1.mydomain.test.]", "zones.mydomain.test.name_servers[1]")]
    [InlineData(Soa + ", when_all_unhealthy: { fallback: [] }", "zones.mydomain.test.when_all_unhealthy.fallback")]
    [InlineData(Soa + ", recrods: []", "zones.mydomain.test.recrods")]
    public void Load_InvalidZoneField_ReportsFieldPath(string fields, string path)
    {
        var result = Yaml.Load($"zones:\n  mydomain.test: {{ {fields} }}\n");
        Assert.Equal(2, Yaml.Single(result, path).Line);
    }

    [Fact]
    public void Load_HostmasterAsEmailAddress_SuggestsDomainForm()
    {
        var result = Yaml.Load("zones:\n  mydomain.test: { soa: { primary_ns: ns1.mydomain.test, hostmaster: admin@mydomain.test } }\n");
        Assert.Contains("'admin.mydomain.test'", Yaml.Single(result, "zones.mydomain.test.soa.hostmaster").Message);
    }

    [Fact]
    public void Load_ZoneFallback_IsRead()
    {
        var result = Yaml.Load($"zones:\n  mydomain.test: {{ {Soa}, when_all_unhealthy: {{ fallback: [192.0.2.1] }} }}\n");
        Yaml.NoErrors(result);
        var behaviour = result.Config!.Zones[0].WhenAllUnhealthy;
        Assert.Equal(AllUnhealthyKind.Fallback, behaviour.Kind);
        Assert.Equal(["192.0.2.1"], behaviour.FallbackValues);
    }

    [Fact]
    public void Load_InvalidZoneName_ReportsAtKey()
    {
        var result = Yaml.Load($"zones:\n  'bad zone': {{ {Soa} }}\n");
        var error = Yaml.Single(result, "zones.bad zone");
        Assert.Equal((2, 3), (error.Line, error.Column));
    }
}
