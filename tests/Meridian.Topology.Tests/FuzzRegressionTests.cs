namespace Meridian.Topology.Tests;

/// <summary>Inputs that once crashed the loader (found by <see cref="FuzzTests"/>); each must now load to errors.</summary>
public sealed class FuzzRegressionTests
{
    [Theory]
    [InlineData("fuzz-001.yaml")]
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
}
