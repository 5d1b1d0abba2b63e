namespace Meridian.Topology.Tests;

public sealed class YamlErrorTests
{
    [Fact]
    public void LoadFromText_MalformedYaml_ReportsOneErrorAtParserPosition()
    {
        var result = Yaml.Load("regions:\n  us-east-1: { address: 127.0.0.1\nzones: {}\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal(Yaml.File, error.File);
        Assert.StartsWith("YAML syntax error", error.Message);
        Assert.True(error.Line >= 2, error.ToString());
        Assert.Null(result.Config);
    }

    [Fact]
    public void LoadFromText_TabIndentation_ReportsSyntaxError()
    {
        var result = Yaml.Load("regions:\n\tus: { address: 127.0.0.1 }\n");
        Assert.StartsWith("YAML syntax error", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void LoadFromText_EmptyFile_ReportsEmpty()
    {
        var error = Assert.Single(Yaml.Load("# nothing\n").Errors);
        Assert.Contains("empty", error.Message);
        Assert.Equal((1, 1), (error.Line, error.Column));
    }

    [Fact]
    public void LoadFromText_RootIsList_ReportsExpectedMapping()
    {
        var error = Assert.Single(Yaml.Load("- a\n- b\n").Errors);
        Assert.Contains("expected a mapping", error.Message);
    }

    [Fact]
    public void LoadFromText_TwoDocuments_ReportsOnlyOneAllowed()
    {
        var error = Assert.Single(Yaml.Load("regions: {}\n---\nregions: {}\n").Errors);
        Assert.Contains("only one YAML document", error.Message);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void LoadFromText_UnknownTopLevelKey_SuggestsClosest()
    {
        var result = Yaml.Load("regions: {}\nhealth_cheks: {}\n");
        var error = Yaml.Single(result, "health_cheks");
        Assert.Equal((2, 1), (error.Line, error.Column));
        Assert.Equal("unknown key 'health_cheks'; did you mean 'health_checks'?", error.Message);
        Assert.Equal("test.yaml:2:1: health_cheks: unknown key 'health_cheks'; did you mean 'health_checks'?", error.ToString());
    }

    [Fact]
    public void LoadFromText_UnknownKeyFarFromAll_HasNoSuggestion()
    {
        var error = Yaml.Single(Yaml.Load("frobnicate: 1\n"), "frobnicate");
        Assert.Equal("unknown key 'frobnicate'", error.Message);
    }

    [Fact]
    public void LoadFromText_TruncatedKey_SuggestsByPrefix()
    {
        var result = Yaml.Records("- { name: a, type: A, values: [192.0.2.1], health: hc1 }");
        var error = Yaml.Single(result, "zones.mydomain.test.records[0].health");
        Assert.Contains("did you mean 'health_check'?", error.Message);
    }

    [Fact]
    public void LoadFromText_DuplicateKeys_ReportsEachDuplicateWithFirstLine()
    {
        var result = Yaml.Load("regions:\n  us: { address: 127.0.0.1 }\n  us: { address: 127.0.0.2 }\ncontrol: { listen: 127.0.0.1:1 }\ncontrol: { listen: 127.0.0.1:2 }\n");
        var region = Yaml.Single(result, "regions.us");
        Assert.Equal((3, 3), (region.Line, region.Column));
        Assert.Contains("first at line 2", region.Message);
        var control = Yaml.Single(result, "control");
        Assert.Equal(5, control.Line);
        Assert.Equal(2, result.Errors.Count);
    }

    [Fact]
    public void LoadFromText_DuplicateKeyOnSameLine_NamesFirstColumn()
    {
        var error = Yaml.Single(Yaml.Load("control: { listen: 127.0.0.1:1, listen: 127.0.0.1:2 }\n"), "control.listen");
        Assert.Equal((1, 33), (error.Line, error.Column));
        Assert.Contains("first at column 12", error.Message);
    }

    [Fact]
    public void LoadFromText_UnclosedFlowSequence_ReportsSyntaxError()
    {
        var error = Assert.Single(Yaml.Load("a: [1, 2\nb: 3\n").Errors);
        Assert.StartsWith("YAML syntax error", error.Message);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void LoadFromText_ManyErrors_ReportsAllAtOnceInFileOrder()
    {
        var yaml = """
            regions:
              us-east-1: { address: not-an-ip }
            checkers: { healthy_fraction: 2 }
            health_checks:
              a: { type: htp, target: 127.0.0.1:80 }
            dns: { listen: [127.0.0.1], max_udp_payload: 100 }
            zones:
              mydomain.test:
                soa: { primary_ns: ns1.mydomain.test, hostmaster: hostmaster.mydomain.test }
                records:
                  - { name: a, type: A, values: [300.1.1.1] }
                  - { name: b, type: A, routing: { weighted: 300 }, set_id: x, values: [192.0.2.1] }
            """;
        var result = Yaml.Load(yaml);
        Assert.Null(result.Config);
        Yaml.Has(result, "regions.us-east-1.address", "expected an IP address");
        Yaml.Has(result, "checkers.healthy_fraction", "between 0 and 1");
        Yaml.Has(result, "health_checks.a.type", "did you mean 'http'?");
        Yaml.Has(result, "dns.listen[0]", "expected ip:port");
        Yaml.Has(result, "dns.max_udp_payload", "between 512 and 4096");
        Yaml.Has(result, "zones.mydomain.test.records[0].values[0]", "IPv4");
        Yaml.Has(result, "zones.mydomain.test.records[1].routing.weighted", "between 0 and 255");
        Assert.True(result.Errors.Count == 7, string.Join("\n", result.Errors));
        Assert.Equal(result.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column), result.Errors);
    }

    [Fact]
    public void LoadFromText_AnchorsAndAliases_AreResolved()
    {
        var yaml = """
            health_checks:
              a: &base { type: http, target: 127.0.0.1:80, interval: 2s }
              b: *base
            """;
        var result = Yaml.Load(yaml);
        Yaml.NoErrors(result);
        Assert.Equal(TimeSpan.FromSeconds(2), result.Config!.FindHealthCheck("b")!.Interval);
    }

    [Fact]
    public void Load_MissingFile_ReportsCannotRead()
    {
        var result = TopologyLoader.Load("/nonexistent/topology.yaml");
        var error = Assert.Single(result.Errors);
        Assert.Contains("cannot read", error.Message);
        Assert.Equal("/nonexistent/topology.yaml", error.File);
    }
}
