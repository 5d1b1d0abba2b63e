using Meridian.Topology.Model;

namespace Meridian.Topology.Tests;

public sealed class HealthCheckTests
{
    private const string Checkers = "checkers: { locations: [us-east-1, eu-west-1] }\n";

    /// <summary>One check named "a" on line 3, its fields given as flow-mapping text.</summary>
    private static TopologyLoadResult Check(string fields) =>
        Yaml.Load(Checkers + "health_checks:\n  a: { " + fields + " }\n");

    private static HealthCheckConfig Loaded(string fields)
    {
        var result = Check(fields);
        Yaml.NoErrors(result);
        return result.Config!.FindHealthCheck("a")!;
    }

    [Fact]
    public void Load_IntervalBelowOneSecond_ReportsAtIntervalNode()
    {
        var error = Yaml.Single(Check("type: http, target: 127.0.0.1:80, interval: 500ms"), "health_checks.a.interval");
        Assert.Equal((3, 52), (error.Line, error.Column));
        Assert.Contains("at least 1s", error.Message);
    }

    [Theory]
    [InlineData("timeout: 0s", "health_checks.a.timeout")]
    [InlineData("confirm_interval: 0", "health_checks.a.confirm_interval")]
    [InlineData("interval: 5x", "health_checks.a.interval")]
    [InlineData("interval: 1.5", "health_checks.a.interval")]
    [InlineData("rise: 0", "health_checks.a.rise")]
    [InlineData("fall: 101", "health_checks.a.fall")]
    [InlineData("failure_threshold: abc", "health_checks.a.failure_threshold")]
    [InlineData("healthy_fraction: 1.5", "health_checks.a.healthy_fraction")]
    [InlineData("invert: maybe", "health_checks.a.invert")]
    [InlineData("path: health", "health_checks.a.path")]
    [InlineData("locations: [us-east-2]", "health_checks.a.locations[0]")]
    [InlineData("match: { status: [600] }", "health_checks.a.match.status[0]")]
    [InlineData("match: { status: [399-200] }", "health_checks.a.match.status[0]")]
    [InlineData("children: [b]", "health_checks.a.children")]
    [InlineData("validate_certificate: true", "health_checks.a.validate_certificate")]
    public void Load_InvalidHttpCheckField_ReportsFieldPath(string field, string path)
    {
        var result = Check("type: http, target: 127.0.0.1:80, " + field);
        var error = Yaml.Single(result, path);
        Assert.Equal(3, error.Line);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void Load_UnknownCheckerLocation_SuggestsClosest()
    {
        var error = Yaml.Single(Check("type: http, target: 127.0.0.1:80, locations: [us-east-2]"), "health_checks.a.locations[0]");
        Assert.Contains("did you mean 'us-east-1'?", error.Message);
    }

    [Fact]
    public void Load_BodyContainsLongerThan255_ReportsError()
    {
        var error = Yaml.Single(Check($"type: http, target: 127.0.0.1:80, match: {{ body_contains: {new string('x', 256)} }}"),
            "health_checks.a.match.body_contains");
        Assert.Contains("255", error.Message);
    }

    [Fact]
    public void Load_TcpWithoutPort_ReportsPortRequired()
    {
        var error = Yaml.Single(Check("type: tcp, target: db.internal"), "health_checks.a.target");
        Assert.Contains("need a port", error.Message);
    }

    [Fact]
    public void Load_UnbracketedIpv6Target_ReportsError()
    {
        Assert.Contains("[::1]:80", Yaml.Single(Check("type: http, target: '::1:80'"), "health_checks.a.target").Message);
    }

    [Fact]
    public void Load_MissingType_ReportsRequired()
    {
        Assert.Contains("'type' is required", Yaml.Single(Check("target: 127.0.0.1:80"), "health_checks.a.type").Message);
    }

    [Theory]
    [InlineData("type: http, target: example.test", "example.test", 80)]
    [InlineData("type: https, target: Example.Test.", "example.test", 443)]
    [InlineData("type: http, target: '[::1]:8080'", "::1", 8080)]
    [InlineData("type: tcp, target: 10.0.0.1:5432", "10.0.0.1", 5432)]
    public void Load_Target_ParsesHostAndDefaultPort(string fields, string host, int port)
    {
        var check = Loaded(fields);
        Assert.Equal((host, port), (check.Host, check.Port));
    }

    [Fact]
    public void Load_FailureThreshold_SetsRiseAndFallUnlessOverridden()
    {
        var check = Loaded("type: http, target: 127.0.0.1:80, failure_threshold: 5, rise: 2");
        Assert.Equal((2, 5), (check.Rise, check.Fall));
    }

    [Fact]
    public void Load_AllFields_AreRead()
    {
        var check = Loaded("type: https, target: 127.0.0.1:443, host_header: App.Example.Test, path: /h, interval: 2m, timeout: 1.5s, "
            + "confirm_interval: 100ms, match: { status: [200, 300-302], body_contains: ok }, invert: true, disabled: true, "
            + "validate_certificate: true, locations: [eu-west-1], healthy_fraction: 0.5");
        Assert.Equal("app.example.test", check.HostHeader);
        Assert.Equal(TimeSpan.FromMinutes(2), check.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), check.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(100), check.ConfirmInterval);
        Assert.Equal([new StatusRange(200, 200), new StatusRange(300, 302)], check.ExpectedStatus);
        Assert.Equal("ok", check.BodyContains);
        Assert.True(check.Invert && check.Disabled && check.ValidateCertificate);
        Assert.Equal(["eu-west-1"], check.Locations);
        Assert.Equal(0.5, check.HealthyFraction);
    }

    [Fact]
    public void Load_CalculatedWithUnknownChild_SuggestsName()
    {
        var result = Yaml.Load("health_checks:\n  web: { type: http, target: 127.0.0.1:80 }\n  all: { type: calculated, children: [web, wbe] }\n");
        var error = Yaml.Single(result, "health_checks.all.children[1]");
        Assert.Equal((3, 44), (error.Line, error.Column));
        Assert.Contains("did you mean 'web'?", error.Message);
    }

    [Fact]
    public void Load_CalculatedCycle_ReportsCyclePath()
    {
        var yaml = """
            health_checks:
              a: { type: calculated, children: [b] }
              b: { type: calculated, children: [c] }
              c: { type: calculated, children: [a] }
            """;
        var result = Yaml.Load(yaml);
        var error = Assert.Single(result.Errors);
        Assert.Equal("health_checks.c.children[0]", error.FieldPath);
        Assert.Equal("health check cycle: a -> b -> c -> a", error.Message);
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void Load_CalculatedSelfReference_ReportsCycle()
    {
        var error = Assert.Single(Yaml.Load("health_checks:\n  a: { type: calculated, children: [a] }\n").Errors);
        Assert.Contains("a -> a", error.Message);
    }

    [Theory]
    [InlineData("healthy_when: { at_least: 3 }", "health_checks.all.healthy_when.at_least")]
    [InlineData("healthy_when: { at_least: 0 }", "health_checks.all.healthy_when.at_least")]
    [InlineData("healthy_when: some", "health_checks.all.healthy_when")]
    [InlineData("target: 127.0.0.1:80", "health_checks.all.target")]
    public void Load_InvalidCalculatedField_ReportsFieldPath(string field, string path)
    {
        var yaml = "health_checks:\n  x: { type: http, target: 127.0.0.1:80 }\n  y: { type: tcp, target: 127.0.0.1:22 }\n"
            + $"  all: {{ type: calculated, children: [x, y], {field} }}\n";
        Assert.Equal(4, Yaml.Single(Yaml.Load(yaml), path).Line);
    }

    [Theory]
    [InlineData("all", CalculatedRule.All)]
    [InlineData("any", CalculatedRule.Any)]
    public void Load_CalculatedRule_IsRead(string rule, CalculatedRule expected)
    {
        var result = Yaml.Load($"health_checks:\n  x: {{ type: http, target: 127.0.0.1:80 }}\n  all: {{ type: calculated, children: [x], healthy_when: {rule} }}\n");
        Yaml.NoErrors(result);
        Assert.Equal(expected, result.Config!.FindHealthCheck("all")!.Rule);
    }

    [Fact]
    public void Load_CalculatedWithoutChildren_ReportsError()
    {
        Assert.Contains("at least one child", Yaml.Single(Yaml.Load("health_checks:\n  a: { type: calculated }\n"), "health_checks.a.children").Message);
    }
}
