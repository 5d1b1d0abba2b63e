using System.Net;
using Meridian.Topology.Model;

namespace Meridian.Topology.Tests;

public sealed class LoadBalancerTests
{
    private const string Regions = "regions:\n  us-east-1: { address: 127.0.0.11 }\n  eu-west-1: { address: 127.0.0.12 }\n";

    /// <summary>The fields a balancer needs; tests append or replace them.</summary>
    private const string Required = "region: us-east-1, listen: 127.0.0.11:8080, targets: [127.0.0.11:9101]";

    /// <summary>One balancer named "a" on line 5, its fields given as flow-mapping text.</summary>
    private static TopologyLoadResult Balancer(string fields) => Yaml.Load(Regions + "load_balancers:\n  a: { " + fields + " }\n");

    private static LoadBalancerConfig Loaded(string fields)
    {
        var result = Balancer(fields);
        Yaml.NoErrors(result);
        return Assert.Single(result.Config!.LoadBalancers);
    }

    [Fact]
    public void Load_RequiredFieldsOnly_AppliesAlbDefaults()
    {
        var lb = Loaded(Required);
        Assert.Equal("a", lb.Name);
        Assert.Equal("us-east-1", lb.Region);
        Assert.Equal(IPEndPoint.Parse("127.0.0.11:8080"), lb.Listen);
        Assert.Equal([new TargetConfig("127.0.0.11", 9101)], lb.Targets);
        Assert.Equal(BalancingAlgorithm.RoundRobin, lb.Algorithm);
        Assert.Same(TargetHealthConfig.Default, lb.Health);
        Assert.Equal(TimeSpan.FromSeconds(30), lb.Health.Interval);
        Assert.Equal(TimeSpan.FromSeconds(5), lb.Health.Timeout);
        Assert.Equal((5, 2), (lb.Health.HealthyThreshold, lb.Health.UnhealthyThreshold));
        Assert.Equal([new StatusRange(200, 200)], lb.Health.Matcher);
        Assert.Equal("/", lb.Health.Path);
        Assert.Null(lb.Health.Port);
        Assert.Equal(TimeSpan.FromSeconds(300), lb.DeregistrationDelay);
        Assert.Equal("/_meridian/health", lb.HealthEndpoint);
        Assert.Equal("X-Request-Id", lb.RequestIdHeader);
        Assert.Equal((5, 3), (lb.Location.Line, lb.Location.Column));
    }

    [Fact]
    public void Load_EmptyHealthBlock_KeepsAlbDefaults()
    {
        Assert.Equal(TargetHealthConfig.Default, Loaded(Required + ", health: {}").Health);
    }

    [Fact]
    public void Load_HealthPathOnly_KeepsOtherDefaults()
    {
        var health = Loaded(Required + ", health: { path: /health }").Health;
        Assert.Equal(TargetHealthConfig.Default with { Path = "/health" }, health);
    }

    [Fact]
    public void Load_AllFields_AreRead()
    {
        var lb = Loaded("region: eu-west-1, listen: '[::1]:8443', algorithm: least_outstanding_requests, "
            + "targets: [127.0.0.12:9101, App.Internal.:9102, '[::1]:9103'], "
            + "health: { path: /h, port: 8081, interval: 2s, timeout: 1500ms, healthy_threshold: 10, unhealthy_threshold: 3, "
            + "matcher: [200, '300-302', '204,206'] }, deregistration_delay: 0s, health_endpoint: /lb/health, request_id_header: X-Trace");
        Assert.Equal("eu-west-1", lb.Region);
        Assert.Equal(IPEndPoint.Parse("[::1]:8443"), lb.Listen);
        Assert.Equal(BalancingAlgorithm.LeastOutstandingRequests, lb.Algorithm);
        Assert.Equal([new("127.0.0.12", 9101), new("app.internal", 9102), new("::1", 9103)], lb.Targets);
        Assert.Equal("[::1]:9103", lb.Targets[2].ToString());
        Assert.Equal("/h", lb.Health.Path);
        Assert.Equal(8081, lb.Health.Port);
        Assert.Equal(TimeSpan.FromSeconds(2), lb.Health.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), lb.Health.Timeout);
        Assert.Equal((10, 3), (lb.Health.HealthyThreshold, lb.Health.UnhealthyThreshold));
        Assert.Equal([new StatusRange(200, 200), new StatusRange(300, 302), new StatusRange(204, 204), new StatusRange(206, 206)], lb.Health.Matcher);
        Assert.Equal(TimeSpan.Zero, lb.DeregistrationDelay);
        Assert.Equal("/lb/health", lb.HealthEndpoint);
        Assert.Equal("X-Trace", lb.RequestIdHeader);
    }

    [Theory]
    [InlineData("port: traffic-port", null)]
    [InlineData("port: 9000", 9000)]
    public void Load_HealthPort_NumberOrTrafficPort(string field, int? port)
    {
        Assert.Equal(port, Loaded(Required + ", health: { " + field + " }").Health.Port);
    }

    [Theory]
    [InlineData("matcher: 200", 200, 200)]
    [InlineData("matcher: '200-299'", 200, 299)]
    [InlineData("matcher: [302]", 302, 302)]
    public void Load_Matcher_AcceptsCodeRangeOrList(string field, int from, int to)
    {
        Assert.Equal([new StatusRange(from, to)], Loaded(Required + ", health: { " + field + " }").Health.Matcher);
    }

    [Theory]
    [InlineData("region: us-east-1, listen: 127.0.0.11:8080", "load_balancers.a.targets", "a target group with no targets")]
    [InlineData("region: us-east-1, listen: 127.0.0.11:8080, targets: []", "load_balancers.a.targets", "a target group with no targets")]
    [InlineData("region: us-east-1, listen: 127.0.0.11:8080, targets: ~", "load_balancers.a.targets", "a target group with no targets")]
    [InlineData("listen: 127.0.0.11:8080, targets: [127.0.0.11:9101]", "load_balancers.a.region", "'region' is required")]
    [InlineData("region: us-east-1, targets: [127.0.0.11:9101]", "load_balancers.a.listen", "'listen' is required")]
    [InlineData("region: us-east-2, listen: 127.0.0.11:8080, targets: [127.0.0.11:9101]", "load_balancers.a.region", "unknown region 'us-east-2'; did you mean 'us-east-1'?")]
    [InlineData("region: us-east-1, listen: localhost:8080, targets: [127.0.0.11:9101]", "load_balancers.a.listen", "expected an IP address before the port")]
    [InlineData("region: us-east-1, listen: 127.0.0.11, targets: [127.0.0.11:9101]", "load_balancers.a.listen", "expected ip:port")]
    [InlineData("region: us-east-1, listen: 127.0.0.11:0, targets: [127.0.0.11:9101]", "load_balancers.a.listen", "port must be between 1 and 65535")]
    [InlineData("region: us-east-1, listen: 127.0.0.11:8080, targets: [127.0.0.11:9101, 127.0.0.11:9101]", "load_balancers.a.targets[1]", "duplicate target 127.0.0.11:9101 (first at column")]
    [InlineData("region: us-east-1, listen: 127.0.0.11:8080, targets: [127.0.0.11:9101, app.test:1, APP.test.:1]", "load_balancers.a.targets[2]", "duplicate target app.test:1")]
    [InlineData("region: us-east-1, listen: 127.0.0.11:8080, targets: [127.0.0.11]", "load_balancers.a.targets[0]", "expected host:port")]
    [InlineData("region: us-east-1, listen: 127.0.0.11:8080, targets: ['bad host:80']", "load_balancers.a.targets[0]", "host must be an IP address or a name")]
    [InlineData("region: us-east-1, listen: 127.0.0.11:8080, targets: [127.0.0.11:70000]", "load_balancers.a.targets[0]", "port must be between 1 and 65535")]
    [InlineData("region: us-east-1, listen: 127.0.0.11:8080, targets: [127.0.0.11:8080]", "load_balancers.a.targets[0]", "own listener")]
    [InlineData("region: us-east-1, listen: 0.0.0.0:8080, targets: [127.0.0.11:8080]", "load_balancers.a.targets[0]", "own listener")]
    public void Load_InvalidBalancer_ReportsFieldPath(string fields, string path, string message)
    {
        var result = Balancer(fields);
        var error = Yaml.Has(result, path, message);
        Assert.Equal(5, error.Line);
        Assert.Single(result.Errors);
    }

    [Theory]
    [InlineData("algorithm: random", "load_balancers.a.algorithm", "expected one of round_robin, least_outstanding_requests")]
    [InlineData("algorithm: round-robin", "load_balancers.a.algorithm", "did you mean 'round_robin'?")]
    [InlineData("deregistration_delay: 2h", "load_balancers.a.deregistration_delay", "at most 3600s")]
    [InlineData("deregistration_delay: soon", "load_balancers.a.deregistration_delay", "expected a duration")]
    [InlineData("health_endpoint: health", "load_balancers.a.health_endpoint", "must start with '/'")]
    [InlineData("request_id_header: 'X Request'", "load_balancers.a.request_id_header", "expected a header name")]
    [InlineData("helth: {}", "load_balancers.a.helth", "did you mean 'health'?")]
    [InlineData("health: { interval: 5s, timeout: 5s }", "load_balancers.a.health.timeout", "timeout (5s) must be shorter than interval (5s)")]
    [InlineData("health: { timeout: 30s }", "load_balancers.a.health.timeout", "must be shorter than interval (30s, the default)")]
    [InlineData("health: { interval: 2s }", "load_balancers.a.health.interval", "longer than timeout (5s, the default)")]
    [InlineData("health: { interval: 500ms, timeout: 100ms }", "load_balancers.a.health.interval", "at least 1s")]
    [InlineData("health: { timeout: 0s }", "load_balancers.a.health.timeout", "greater than 0")]
    [InlineData("health: { healthy_threshold: 1 }", "load_balancers.a.health.healthy_threshold", "between 2 and 10")]
    [InlineData("health: { unhealthy_threshold: 11 }", "load_balancers.a.health.unhealthy_threshold", "between 2 and 10")]
    [InlineData("health: { matcher: 600 }", "load_balancers.a.health.matcher", "expected a status code (200-499)")]
    [InlineData("health: { matcher: [200, 199] }", "load_balancers.a.health.matcher[1]", "found '199'")]
    [InlineData("health: { matcher: '299-200' }", "load_balancers.a.health.matcher", "range like 200-299")]
    [InlineData("health: { matcher: [] }", "load_balancers.a.health.matcher", "at least one status code")]
    [InlineData("health: { port: traffic }", "load_balancers.a.health.port", "expected a port (1-65535) or traffic-port")]
    [InlineData("health: { port: 0 }", "load_balancers.a.health.port", "expected a port")]
    [InlineData("health: { path: health }", "load_balancers.a.health.path", "must start with '/'")]
    [InlineData("health: { intervall: 2s }", "load_balancers.a.health.intervall", "did you mean 'interval'?")]
    [InlineData("health: [200]", "load_balancers.a.health", "expected a mapping")]
    public void Load_InvalidOptionalField_ReportsFieldPath(string field, string path, string message)
    {
        var result = Balancer(Required + ", " + field);
        var error = Yaml.Has(result, path, message);
        Assert.Equal(5, error.Line);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void Load_TimeoutNotBelowInterval_ReportsAtTimeoutColumn()
    {
        var result = Yaml.Load(Regions + "load_balancers:\n  a:\n    region: us-east-1\n    listen: 127.0.0.11:8080\n    targets: [127.0.0.11:9101]\n"
            + "    health:\n      interval: 2s\n      timeout: 3s\n");
        var error = Yaml.Single(result, "load_balancers.a.health.timeout");
        Assert.Equal((11, 16), (error.Line, error.Column));
        Assert.Equal("timeout (3s) must be shorter than interval (2s)", error.Message);
    }

    [Fact]
    public void Load_IntervalBelowAlbMinimum_IsAllowed()
    {
        var health = Loaded(Required + ", health: { interval: 1s, timeout: 500ms }").Health;
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500)), (health.Interval, health.Timeout));
    }

    [Fact]
    public void Load_NoRegionsDeclared_SaysSo()
    {
        var result = Yaml.Load("load_balancers:\n  a: { region: us-east-1, listen: 127.0.0.11:8080, targets: [127.0.0.11:9101] }\n");
        Assert.Contains("no regions are declared", Yaml.Single(result, "load_balancers.a.region").Message);
    }

    [Fact]
    public void Load_TwoBalancersOnOneListen_ReportsSecondNamingFirst()
    {
        var result = Yaml.Load(Regions + "load_balancers:\n"
            + "  a: { region: us-east-1, listen: 127.0.0.11:8080, targets: [127.0.0.11:9101] }\n"
            + "  b: { region: eu-west-1, listen: 127.0.0.11:8080, targets: [127.0.0.12:9101] }\n");
        var error = Yaml.Single(result, "load_balancers.b.listen");
        Assert.Equal((6, 35), (error.Line, error.Column));
        Assert.Equal("listen endpoint 127.0.0.11:8080 clashes with load_balancers.a.listen (line 5)", error.Message);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void Load_WildcardListen_ClashesWithSpecificAddressOnSamePort()
    {
        var result = Yaml.Load(Regions + "load_balancers:\n"
            + "  a: { region: us-east-1, listen: 127.0.0.11:8080, targets: [127.0.0.11:9101] }\n"
            + "  b: { region: eu-west-1, listen: 0.0.0.0:8080, targets: [127.0.0.12:9101] }\n"
            + "  c: { region: eu-west-1, listen: 0.0.0.0:8081, targets: [127.0.0.12:9101] }\n");
        var error = Yaml.Single(result, "load_balancers.b.listen");
        Assert.Equal("listen endpoint 0.0.0.0:8080 clashes with load_balancers.a.listen (127.0.0.11:8080) (line 5)", error.Message);
        Assert.Single(result.Errors);
    }

    [Theory]
    [InlineData("dns: { listen: [127.0.0.1:5300, 127.0.0.11:8080] }\n", "dns.listen[1]")]
    [InlineData("dns: { listen: [127.0.0.11:8080] }\n", "dns.listen[0]")]
    [InlineData("control: { listen: 127.0.0.11:8080 }\n", "control.listen")]
    public void Load_ListenUsedByDnsOrControl_NamesBothFields(string section, string other)
    {
        var result = Yaml.Load(Regions + section + "load_balancers:\n  a: { " + Required + " }\n");
        var error = Yaml.Single(result, "load_balancers.a.listen");
        Assert.Equal(6, error.Line);
        Assert.Equal($"listen endpoint 127.0.0.11:8080 clashes with {other}", error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:5353", "dns.listen (default)")]
    [InlineData("127.0.0.1:8053", "control.listen (default)")]
    public void Load_ListenUsedByDefaultDnsOrControl_NamesDefault(string listen, string other)
    {
        var result = Balancer($"region: us-east-1, listen: {listen}, targets: [127.0.0.11:9101]");
        Assert.Equal($"listen endpoint {listen} clashes with {other}", Yaml.Single(result, "load_balancers.a.listen").Message);
    }

    [Fact]
    public void Load_SeveralBadBalancers_ReportsEveryErrorInFileOrder()
    {
        var result = Yaml.Load(Regions + "load_balancers:\n"
            + "  a: { region: us-west-1, listen: 127.0.0.11:8080, targets: [] }\n"
            + "  b:\n"
            + "    region: eu-west-1\n"
            + "    listen: 127.0.0.11:8080\n"
            + "    targets: [127.0.0.12:9101, 127.0.0.12:9101]\n"
            + "    health: { interval: 10s, timeout: 10s, healthy_threshold: 20 }\n"
            + "  a: {}\n");
        Assert.Equal(
        [
            (5, "load_balancers.a.region"),
            (5, "load_balancers.a.targets"),
            (8, "load_balancers.b.listen"),
            (9, "load_balancers.b.targets[1]"),
            (10, "load_balancers.b.health.timeout"),
            (10, "load_balancers.b.health.healthy_threshold"),
            (11, "load_balancers.a"),
        ], result.Errors.Select(e => (e.Line, e.FieldPath)));
    }
}
