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
}
