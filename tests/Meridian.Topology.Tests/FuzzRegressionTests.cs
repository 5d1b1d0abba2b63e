namespace Meridian.Topology.Tests;

/// <summary>Inputs that once crashed the loader (found by <see cref="FuzzTests"/>); each must now load to errors.</summary>
public sealed class FuzzRegressionTests
{
    [Theory]
    [InlineData("fuzz-001.yaml")]
    [InlineData("fuzz-002.yaml")]
    public void LoadFromText_RecordedCrashInput_ReturnsErrors(string file)
    {
        var text = File.ReadAllText(Path.Combine(TestFiles.RepoRoot, "tests", "Meridian.Topology.Tests", "Regressions", file));
        var result = Yaml.Load(text);
        Assert.NotEmpty(result.Errors);
        Assert.Null(result.Config);
    }

    [Theory]
    [InlineData("a:\n  b: 1\n   [ :x: { y>z: 1 }\n")]
    [InlineData("health_checks:\n  c:\n    type: calculated\n   [ :healthy_when: { at_l>east: 1 }\n")]
    public void LoadFromText_ScannerInvalidOperation_ReturnsSyntaxError(string yaml)
    {
        var result = Yaml.Load(yaml);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("YAML syntax error", error.Message);
    }

    /// <summary>Regex \d matches non-ASCII digits that the number parsers then reject (fuzz-002).</summary>
    [Theory]
    [InlineData("health_checks:\n  a: { type: http, target: 127.0.0.1:80, timeout: 1\u1a89s }\n", "health_checks.a.timeout")]
    [InlineData("health_checks:\n  a: { type: http, target: 127.0.0.1:80, interval: \u0661\u0662 }\n", "health_checks.a.interval")]
    [InlineData("health_checks:\n  a: { type: http, target: '127.0.0.1:\u0668\u0660' }\n", "health_checks.a.target")]
    [InlineData("zones:\n  z.test:\n    soa: { primary_ns: ns.z.test, hostmaster: h.z.test }\n    records: [ { name: a, type: CAA, values: ['\u0661 issue \"x\"'] } ]\n", "zones.z.test.records[0].values[0]")]
    [InlineData("zones:\n  z.test:\n    soa: { primary_ns: ns.z.test, hostmaster: h.z.test }\n    records: [ { name: a, type: MX, values: ['\u0661\u0660 mail.z.test'] } ]\n", "zones.z.test.records[0].values[0]")]
    public void LoadFromText_NonAsciiDigits_ReportErrorAtField(string yaml, string path)
    {
        Yaml.Single(Yaml.Load(yaml), path);
    }

    /// <summary>Hostile origin URLs: each must be one error at the url field, never an exception from Uri.</summary>
    [Theory]
    [InlineData("'http://'")]
    [InlineData("'https://[::1'")]
    [InlineData("'http://[::1]:99999'")]
    [InlineData("'http://%zz/'")]
    [InlineData("'//x'")]
    [InlineData("'http:x'")]
    [InlineData("'http://m\u00fcnchen.test'")]
    [InlineData("'http://\u0661.test:\u0668\u0660'")]
    [InlineData("'http://a:b@c'")]
    [InlineData("'http://127.0.0.1#f'")]
    [InlineData("'\\\\server\\share'")]
    [InlineData("'/srv/www'")]
    [InlineData("'C:/www'")]
    public void LoadFromText_HostileOriginUrl_ReportsErrorAtUrl(string url)
    {
        var yaml = $"edge:\n  distributions:\n    d: {{ origins: {{ o: {{ url: {url} }} }}, target: o }}\n";
        Yaml.Single(Yaml.Load(yaml), "edge.distributions.d.origins.o.url");
    }

    /// <summary>Hostile listen, target and matcher values on a load balancer.</summary>
    [Theory]
    [InlineData("listen: '[::1]'", "load_balancers.a.listen")]
    [InlineData("listen: '\u0661.1.1.1:80'", "load_balancers.a.listen")]
    [InlineData("targets: ['a:\u0668\u0660']", "load_balancers.a.targets[0]")]
    [InlineData("targets: [[x]]", "load_balancers.a.targets[0]")]
    [InlineData("health: { matcher: '\u0662\u0660\u0660' }", "load_balancers.a.health.matcher")]
    [InlineData("health: { matcher: '200,,300' }", "load_balancers.a.health.matcher")]
    [InlineData("health: { matcher: [{ a: 1 }] }", "load_balancers.a.health.matcher[0]")]
    [InlineData("health: { port: '\u0668\u0660' }", "load_balancers.a.health.port")]
    [InlineData("health_endpoint: \"/a\\u0000b\"", "load_balancers.a.health_endpoint")]
    public void LoadFromText_HostileBalancerValue_ReportsErrorAtField(string field, string path)
    {
        var fields = new Dictionary<string, string>
        {
            ["region"] = "region: r",
            ["listen"] = "listen: 127.0.0.1:8080",
            ["targets"] = "targets: [127.0.0.1:9101]",
        };
        fields[field[..field.IndexOf(':')]] = field;
        var yaml = $"regions: {{ r: {{ address: 127.0.0.1 }} }}\nload_balancers:\n  a: {{ {string.Join(", ", fields.Values)} }}\n";
        Yaml.Single(Yaml.Load(yaml), path);
    }
}
