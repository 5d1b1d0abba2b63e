using System.Net;
using Meridian.Topology.Model;

namespace Meridian.Topology.Tests;

public sealed class EdgeTests
{
    /// <summary>A valid edge; tests replace one piece of text and expect one error at a known line.</summary>
    private const string Base = """
        regions:
          us-east-1: { address: 127.0.0.11 }
          eu-west-1: { address: 127.0.0.12 }
        load_balancers:
          lb: { region: us-east-1, listen: 127.0.0.11:8080, targets: [127.0.0.11:9101] }
        edge:
          locations:
            edge-us: { region: us-east-1, listen: [127.0.0.21:8080] }
            edge-eu: { listen: [127.0.0.22:8080] }
          distributions:
            cdn:
              aliases: [cdn.example.test]
              locations: [edge-us, edge-eu]
              origins:
                us: { url: http://127.0.0.11:8080 }
                eu: { url: http://127.0.0.12:8080 }
              origin_groups:
                both: { members: [us, eu] }
              target: both

        """;

    private static TopologyLoadResult With(string find, string replace)
    {
        Assert.Contains(find, Base);
        return Yaml.Load(Base.Replace(find, replace));
    }

    private static EdgeConfig Loaded(string yaml)
    {
        var result = Yaml.Load(yaml);
        Yaml.NoErrors(result);
        return result.Config!.Edge;
    }

    [Fact]
    public void Load_Base_HasNoErrorsAndAppliesCloudFrontDefaults()
    {
        var edge = Loaded(Base);
        Assert.Equal(["edge-us", "edge-eu"], edge.Locations.Select(l => l.Name));
        Assert.Equal("us-east-1", edge.Locations[0].Region);
        Assert.Null(edge.Locations[1].Region);
        Assert.Equal((8, 5), (edge.Locations[0].Location.Line, edge.Locations[0].Location.Column));
        var cdn = Assert.Single(edge.Distributions);
        Assert.Equal((11, 5), (cdn.Location.Line, cdn.Location.Column));
        Assert.Equal(["edge-us", "edge-eu"], cdn.Locations);
        var us = cdn.Origins[0];
        Assert.Equal(TimeSpan.FromSeconds(10), us.ConnectionTimeout);
        Assert.Equal(3, us.ConnectionAttempts);
        Assert.Equal(TimeSpan.FromSeconds(30), us.ResponseTimeout);
        Assert.Same(OriginProbeConfig.Default, us.Probe);
        Assert.True(us.Probe.Enabled);
        var group = Assert.Single(cdn.OriginGroups);
        Assert.Equal(["us", "eu"], group.Members);
        Assert.Equal([500, 502, 503, 504], group.FailoverOn);
        Assert.Equal("both", cdn.Target);
    }

    [Fact]
    public void Load_OriginAllFields_AreRead()
    {
        var edge = Loaded(Base.Replace("{ url: http://127.0.0.11:8080 }",
            "{ url: 'HTTPS://Origin.Example.Test:8443/app', connection_timeout: 1500ms, connection_attempts: 2, response_timeout: 1m, "
            + "probe: { enabled: false, path: /ping, interval: 3s, timeout: 1s, healthy_threshold: 1, unhealthy_threshold: 10 } }"));
        var origin = edge.Distributions[0].Origins[0];
        Assert.Equal(new Uri("https://origin.example.test:8443/app"), origin.Url);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), origin.ConnectionTimeout);
        Assert.Equal(2, origin.ConnectionAttempts);
        Assert.Equal(TimeSpan.FromMinutes(1), origin.ResponseTimeout);
        Assert.Equal(new OriginProbeConfig
        {
            Enabled = false, Path = "/ping", Interval = TimeSpan.FromSeconds(3), Timeout = TimeSpan.FromSeconds(1),
            HealthyThreshold = 1, UnhealthyThreshold = 10,
        }, origin.Probe);
    }

    [Theory]
    [InlineData("http://127.0.0.1", 80)]
    [InlineData("https://127.0.0.1", 443)]
    [InlineData("'http://[::1]:8080/'", 8080)]
    public void Load_OriginUrl_DefaultsPortFromScheme(string url, int port)
    {
        var edge = Loaded(Base.Replace("http://127.0.0.11:8080", url));
        Assert.Equal(port, edge.Distributions[0].Origins[0].Url.Port);
    }

    [Fact]
    public void Load_AliasesAndTargetOrigin_AreNormalised()
    {
        var edge = Loaded(Base.Replace("[cdn.example.test]", "[CDN.Example.Test., '*.img.example.test']").Replace("target: both", "target: eu"));
        Assert.Equal(["cdn.example.test", "*.img.example.test"], edge.Distributions[0].Aliases);
        Assert.Equal("eu", edge.Distributions[0].Target);
    }

    [Fact]
    public void Load_GroupWithExplicitFailoverCodesAndThreeMembers_IsRead()
    {
        var edge = Loaded(Base.Replace("        eu: { url: http://127.0.0.12:8080 }\n",
                "        eu: { url: http://127.0.0.12:8080 }\n        ap: { url: http://127.0.0.13:8080 }\n")
            .Replace("{ members: [us, eu] }", "{ members: [us, eu, ap], failover_on: [404, 503] }"));
        var group = edge.Distributions[0].OriginGroups[0];
        Assert.Equal(["us", "eu", "ap"], group.Members);
        Assert.Equal([404, 503], group.FailoverOn);
    }

    [Theory]
    // Origins that point nowhere.
    [InlineData("http://127.0.0.11:8080", "127.0.0.11:8080", "origins.us.url", 15, "has no scheme; expected http(s)://host:port[/path]; did you mean 'http://127.0.0.11:8080'?")]
    [InlineData("http://127.0.0.11:8080", "ftp://127.0.0.11", "origins.us.url", 15, "unsupported scheme 'ftp'")]
    [InlineData("http://127.0.0.11:8080", "file:///srv/www", "origins.us.url", 15, "unsupported scheme 'file'")]
    [InlineData("http://127.0.0.11:8080", "'http://:8080'", "origins.us.url", 15, "has no host")]
    [InlineData("http://127.0.0.11:8080", "http:///app", "origins.us.url", 15, "has no host")]
    [InlineData("http://127.0.0.11:8080", "http://127.0.0.11:99999", "origins.us.url", 15, "cannot parse origin URL")]
    [InlineData("http://127.0.0.11:8080", "'http://exa mple.test'", "origins.us.url", 15, "")]
    [InlineData("http://127.0.0.11:8080", "http://user@127.0.0.11", "origins.us.url", 15, "credentials")]
    [InlineData("http://127.0.0.11:8080", "'http://127.0.0.11/?a=1'", "origins.us.url", 15, "query or fragment")]
    [InlineData("{ url: http://127.0.0.11:8080 }", "{ }", "origins.us.url", 15, "'url' is required")]
    [InlineData("http://127.0.0.11:8080", "http://127.0.0.22:8080/x", "origins.us.url", 15, "origin 127.0.0.22:8080 is the edge's own listener edge.locations.edge-eu.listen[0] (line 9); requests would loop")]
    [InlineData("{ url: http://127.0.0.11:8080 }", "{ url: http://127.0.0.11:8080, connection_attempts: 4 }", "origins.us.connection_attempts", 15, "between 1 and 3")]
    [InlineData("{ url: http://127.0.0.11:8080 }", "{ url: http://127.0.0.11:8080, connection_attempts: 0 }", "origins.us.connection_attempts", 15, "between 1 and 3")]
    [InlineData("{ url: http://127.0.0.11:8080 }", "{ url: http://127.0.0.11:8080, connection_timeout: 0s }", "origins.us.connection_timeout", 15, "greater than 0")]
    [InlineData("{ url: http://127.0.0.11:8080 }", "{ url: http://127.0.0.11:8080, response_timeout: x }", "origins.us.response_timeout", 15, "expected a duration")]
    [InlineData("{ url: http://127.0.0.11:8080 }", "{ url: http://127.0.0.11:8080, timeout: 1s }", "origins.us.timeout", 15, "unknown key 'timeout'")]
    [InlineData("{ url: http://127.0.0.11:8080 }", "{ url: http://127.0.0.11:8080, probe: { interval: 1s, timeout: 1s } }", "origins.us.probe.timeout", 15, "timeout (1s) must be shorter than interval (1s)")]
    [InlineData("{ url: http://127.0.0.11:8080 }", "{ url: http://127.0.0.11:8080, probe: { interval: 1s } }", "origins.us.probe.interval", 15, "longer than timeout (2s, the default)")]
    [InlineData("{ url: http://127.0.0.11:8080 }", "{ url: http://127.0.0.11:8080, probe: { enabled: maybe } }", "origins.us.probe.enabled", 15, "expected true or false")]
    [InlineData("{ url: http://127.0.0.11:8080 }", "{ url: http://127.0.0.11:8080, probe: { path: ping } }", "origins.us.probe.path", 15, "must start with '/'")]
    [InlineData("{ url: http://127.0.0.11:8080 }", "{ url: http://127.0.0.11:8080, probe: { healthy_threshold: 11 } }", "origins.us.probe.healthy_threshold", 15, "between 1 and 10")]
    // Origin groups.
    [InlineData("[us, eu]", "[us, euw]", "origin_groups.both.members[1]", 18, "unknown origin 'euw'; did you mean 'eu'?")]
    [InlineData("[us, eu]", "[us, both]", "origin_groups.both.members[1]", 18, "'both' is an origin group; members must be origins")]
    [InlineData("[us, eu]", "[us, us]", "origin_groups.both.members[1]", 18, "origin 'us' is listed twice")]
    [InlineData("[us, eu]", "[us]", "origin_groups.both.members", 18, "at least two members (a primary and a fallback), found 1")]
    [InlineData("{ members: [us, eu] }", "{ }", "origin_groups.both.members", 18, "at least two members")]
    [InlineData("{ members: [us, eu] }", "{ members: [us, eu], failover_on: [500, 302] }", "origin_groups.both.failover_on[1]", 18, "between 400 and 599, found '302'")]
    [InlineData("{ members: [us, eu] }", "{ members: [us, eu], failover_on: [500, 500] }", "origin_groups.both.failover_on[1]", 18, "listed twice")]
    [InlineData("{ members: [us, eu] }", "{ members: [us, eu], failover_on: [] }", "origin_groups.both.failover_on", 18, "at least one status code")]
    [InlineData("        both: { members: [us, eu] }\n", "        both: { members: [us, eu] }\n        us: { members: [us, eu] }\n", "origin_groups.us", 19, "'us' is already an origin")]
    // Target.
    [InlineData("target: both", "target: bth", "target", 19, "unknown origin or origin group 'bth'; did you mean 'both'?")]
    [InlineData("target: both", "target: ~", "target", 19, "'target' is required")]
    // Locations and aliases.
    [InlineData("[edge-us, edge-eu]", "[edge-us, edge-euu]", "locations[1]", 13, "unknown edge location 'edge-euu'; did you mean 'edge-eu'?")]
    [InlineData("[edge-us, edge-eu]", "[edge-us, edge-us]", "locations[1]", 13, "listed twice")]
    [InlineData("[cdn.example.test]", "[cdn.example.test, CDN.example.test]", "aliases[1]", 12, "alias 'cdn.example.test' is already used by edge.distributions.cdn.aliases[0] (line 12)")]
    [InlineData("[cdn.example.test]", "['bad name.test']", "aliases[0]", 12, "contains ' '")]
    [InlineData("[cdn.example.test]", "[127.0.0.1]", "aliases[0]", 12, "aliases are host names")]
    [InlineData("aliases:", "alias:", "alias", 12, "did you mean 'aliases'?")]
    public void Load_InvalidDistribution_ReportsFieldPathAndLine(string find, string replace, string field, int line, string message)
    {
        var result = With(find, replace);
        var error = Yaml.Has(result, "edge.distributions.cdn." + field, message);
        Assert.Equal(line, error.Line);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void Load_OriginUrlError_PointsAtUrlValue()
    {
        var error = Yaml.Single(With("http://127.0.0.11:8080", "gopher://x"), "edge.distributions.cdn.origins.us.url");
        Assert.Equal((15, 20), (error.Line, error.Column));
    }

    [Fact]
    public void Load_NoOrigins_ReportsAtOriginsAndSkipsTargetCascade()
    {
        var yaml = "edge:\n  distributions:\n    cdn:\n      aliases: [cdn.example.test]\n      origins: {}\n      target: x\n";
        var result = Yaml.Load(yaml);
        var error = Yaml.Single(result, "edge.distributions.cdn.origins");
        Assert.Equal((5, 16), (error.Line, error.Column));
        Assert.Contains("at least one origin", error.Message);
        Assert.Single(result.Errors);
    }

    [Theory]
    [InlineData("{ region: us-east-1, listen: [127.0.0.21:8080] }", "{ region: us-east-2, listen: [127.0.0.21:8080] }", "edge-us.region", 8, "unknown region 'us-east-2'; did you mean 'us-east-1'?")]
    [InlineData("{ listen: [127.0.0.22:8080] }", "{ listen: [] }", "edge-eu.listen", 9, "at least one listen endpoint")]
    [InlineData("{ listen: [127.0.0.22:8080] }", "{ region: eu-west-1 }", "edge-eu.listen", 9, "at least one listen endpoint")]
    [InlineData("{ listen: [127.0.0.22:8080] }", "{ listen: [127.0.0.22] }", "edge-eu.listen[0]", 9, "expected ip:port")]
    [InlineData("{ listen: [127.0.0.22:8080] }", "{ listen: [127.0.0.22:8080, 127.0.0.22:8080] }", "edge-eu.listen[1]", 9, "clashes with edge.locations.edge-eu.listen[0] (line 9)")]
    [InlineData("{ listen: [127.0.0.22:8080] }", "{ listen: [127.0.0.21:8080] }", "edge-eu.listen[0]", 9, "listen endpoint 127.0.0.21:8080 clashes with edge.locations.edge-us.listen[0] (line 8)")]
    [InlineData("{ listen: [127.0.0.22:8080] }", "{ listen: 127.0.0.21:8080 }", "edge-eu.listen", 9, "clashes with edge.locations.edge-us.listen[0] (line 8)")]
    [InlineData("{ listen: [127.0.0.22:8080] }", "{ listen: [127.0.0.11:8080] }", "edge-eu.listen[0]", 9, "listen endpoint 127.0.0.11:8080 clashes with load_balancers.lb.listen (line 5)")]
    [InlineData("{ listen: [127.0.0.22:8080] }", "{ listen: ['0.0.0.0:8080'] }", "edge-eu.listen[0]", 9, "clashes with load_balancers.lb.listen (127.0.0.11:8080) (line 5)")]
    [InlineData("{ listen: [127.0.0.22:8080] }", "{ listen: [127.0.0.1:5353] }", "edge-eu.listen[0]", 9, "clashes with dns.listen (default)")]
    [InlineData("{ listen: [127.0.0.22:8080] }", "{ listen: [127.0.0.1:8053] }", "edge-eu.listen[0]", 9, "clashes with control.listen (default)")]
    // HTTPS listeners share the clash check with every other listener.
    [InlineData("{ listen: [127.0.0.22:8080] }", "{ listen: [127.0.0.22:8080], https: [127.0.0.22:8080] }", "edge-eu.https[0]", 9, "listen endpoint 127.0.0.22:8080 clashes with edge.locations.edge-eu.listen[0] (line 9)")]
    [InlineData("{ listen: [127.0.0.22:8080] }", "{ listen: [127.0.0.22:8080], https: [127.0.0.22:8443, 127.0.0.22:8443] }", "edge-eu.https[1]", 9, "clashes with edge.locations.edge-eu.https[0] (line 9)")]
    [InlineData("{ listen: [127.0.0.22:8080] }", "{ listen: [127.0.0.22:8080], https: 127.0.0.11:8080 }", "edge-eu.https", 9, "clashes with load_balancers.lb.listen (line 5)")]
    [InlineData("{ listen: [127.0.0.22:8080] }", "{ listen: [127.0.0.22:8080], https: ['0.0.0.0:8080'] }", "edge-eu.https[0]", 9, "clashes with load_balancers.lb.listen (127.0.0.11:8080) (line 5)")]
    [InlineData("{ listen: [127.0.0.22:8080] }", "{ listen: [127.0.0.22:8080], https: [127.0.0.22] }", "edge-eu.https[0]", 9, "expected ip:port")]
    [InlineData("{ listen: [127.0.0.22:8080] }", "{ listen: [127.0.0.22:8080], http: [127.0.0.22:8443] }", "edge-eu.http", 9, "unknown key 'http'")]
    public void Load_InvalidEdgeLocation_ReportsFieldPathAndLine(string find, string replace, string field, int line, string message)
    {
        var result = With(find, replace);
        var error = Yaml.Has(result, "edge.locations." + field, message);
        Assert.Equal(line, error.Line);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void Load_EdgeListenEqualToDnsListen_NamesDnsField()
    {
        var result = Yaml.Load("dns: { listen: [127.0.0.21:8080] }\n" + Base);
        Assert.Equal("listen endpoint 127.0.0.21:8080 clashes with dns.listen[0]", Yaml.Single(result, "edge.locations.edge-us.listen[0]").Message);
    }

    [Fact]
    public void Load_EdgeBeforeLoadBalancersInFile_StillReportsClashOnEdge()
    {
        // Sections are read in dependency order, not file order: the edge sees the balancers even when written first.
        var yaml = "edge:\n  locations:\n    e: { listen: [127.0.0.11:8080] }\n"
            + "regions: { us-east-1: { address: 127.0.0.11 } }\n"
            + "load_balancers:\n  lb: { region: us-east-1, listen: 127.0.0.11:8080, targets: [127.0.0.11:9101] }\n";
        var error = Yaml.Single(Yaml.Load(yaml), "edge.locations.e.listen[0]");
        Assert.Equal((3, 19), (error.Line, error.Column));
        Assert.Equal("listen endpoint 127.0.0.11:8080 clashes with load_balancers.lb.listen (line 6)", error.Message);
    }

    [Fact]
    public void Load_AliasUsedByTwoDistributions_ReportsSecondNamingFirst()
    {
        var yaml = Base + """
                other:
                  aliases: [www.example.test, Cdn.Example.Test]
                  origins: { o: { url: http://127.0.0.13 } }
                  target: o

            """;
        var result = Yaml.Load(yaml);
        var error = Yaml.Single(result, "edge.distributions.other.aliases[1]");
        Assert.Equal((21, 35), (error.Line, error.Column));
        Assert.Equal("alias 'cdn.example.test' is already used by edge.distributions.cdn.aliases[0] (line 12)", error.Message);
    }

    [Fact]
    public void Load_NoEdgeLocationsDeclared_SaysSo()
    {
        var yaml = "edge:\n  distributions:\n    cdn: { locations: [x], origins: { o: { url: http://127.0.0.1 } }, target: o }\n";
        Assert.Contains("edge.locations declares none", Yaml.Single(Yaml.Load(yaml), "edge.distributions.cdn.locations[0]").Message);
    }

    [Theory]
    [InlineData("edge: []\n", "edge", "expected a mapping")]
    [InlineData("edge: { location: {} }\n", "edge.location", "did you mean 'locations'?")]
    [InlineData("edge: { locations: [a] }\n", "edge.locations", "expected a mapping")]
    [InlineData("edge: { distributions: { d: x } }\n", "edge.distributions.d", "expected a mapping")]
    public void Load_MalformedEdge_ReportsField(string yaml, string path, string message)
    {
        Yaml.Has(Yaml.Load(yaml), path, message);
    }

    [Fact]
    public void Load_EmptyEdge_YieldsEmptyConfig()
    {
        var result = Yaml.Load("edge: {}\n");
        Yaml.NoErrors(result);
        Assert.Empty(result.Config!.Edge.Locations);
        Assert.Empty(result.Config.Edge.Distributions);
    }

    [Fact]
    public void Load_SeveralEdgeErrors_ReportsAllInFileOrder()
    {
        var result = Yaml.Load(Base
            .Replace("[127.0.0.22:8080]", "[127.0.0.21:8080]")
            .Replace("[edge-us, edge-eu]", "[edge-us, edge-x]")
            .Replace("http://127.0.0.12:8080", "127.0.0.12:8080")
            .Replace("[us, eu]", "[us, eu, ap]")
            .Replace("target: both", "target: all"));
        Assert.Equal(
        [
            (9, "edge.locations.edge-eu.listen[0]"),
            (13, "edge.distributions.cdn.locations[1]"),
            (16, "edge.distributions.cdn.origins.eu.url"),
            (18, "edge.distributions.cdn.origin_groups.both.members[2]"),
            (19, "edge.distributions.cdn.target"),
        ], result.Errors.Select(e => (e.Line, e.FieldPath)));
    }

    [Fact]
    public void Load_LoadBalancerAndEdgeErrorsTogether_AreAllReported()
    {
        var result = Yaml.Load(Base
            .Replace("targets: [127.0.0.11:9101]", "targets: []")
            .Replace("{ region: us-east-1, listen: [127.0.0.21:8080] }", "{ region: us-east-1, listen: [127.0.0.11:8080] }")
            .Replace("[us, eu]", "[us]"));
        Assert.Equal(["load_balancers.lb.targets", "edge.locations.edge-us.listen[0]", "edge.distributions.cdn.origin_groups.both.members"],
            result.Errors.Select(e => e.FieldPath));
        Assert.Null(result.Config);
    }

    [Fact]
    public void Load_Ipv6Listen_IsRead()
    {
        var edge = Loaded(Base.Replace("[127.0.0.22:8080]", "['[::1]:8080', 127.0.0.22:8080]"));
        Assert.Equal([IPEndPoint.Parse("[::1]:8080"), IPEndPoint.Parse("127.0.0.22:8080")], edge.Locations[1].Listen);
    }
}
