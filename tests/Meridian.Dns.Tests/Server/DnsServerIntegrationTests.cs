using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Meridian.Dns.Tests.Support;
using Meridian.Testing;
using Meridian.Topology.Model;
using static Meridian.Dns.Tests.Support.TestTopology;

namespace Meridian.Dns.Tests.Server;

/// <summary>A real server on loopback, queried with DnsClient.NET and dig over UDP and TCP.</summary>
public sealed class DnsServerIntegrationTests : IAsyncLifetime
{
    private readonly TestHealthView _health = new("us", "eu");
    private RunningServer _server = null!;

    public Task InitializeAsync()
    {
        RecordConfig[] records =
        [
            A("app", "us", "127.0.0.11").With("us", new RoutingPolicy.Latency("us-east-1")),
            A("app", "eu", "127.0.0.12").With("eu", new RoutingPolicy.Latency("eu-west-1")),
            Record("www", RecordType.CNAME, null, "alias.mydomain.test"),
            Record("alias", RecordType.CNAME, null, "app.mydomain.test"),
            Record("dangling", RecordType.CNAME, null, "nothere.mydomain.test"),
            Record("external", RecordType.CNAME, null, "example.org"),
            Record("mail", RecordType.AAAA, null, "2001:db8::25"),
            Record("mail", RecordType.A, null, "127.0.0.25"),
            Record("@", RecordType.MX, null, "10 mail.mydomain.test"),
            Record("@", RecordType.TXT, null, "\"v=spf1 -all\""),
            Record("@", RecordType.CAA, null, "0 issue \"letsencrypt.org\""),
            Record("_sip._tcp", RecordType.SRV, null, "10 60 5060 sip.mydomain.test"),
            A("geo", null, "10.1.0.1").With("gb", new RoutingPolicy.Geolocation(null, "GB", null)),
            A("geo", null, "10.1.0.3").With("eu", new RoutingPolicy.Geolocation("EU", null, null)),
            A("geo", null, "10.1.0.4").With("default", new RoutingPolicy.Geolocation(null, null, null)),
            Record("big", RecordType.TXT, null, Enumerable.Range(0, 40).Select(i => $"\"padding-value-number-{i:00}-xxxxxxxxxxxxxxxxxxxxxxxx\"").ToArray()),
        ];
        _server = RunningServer.Start(Create(records), _health);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private LookupClient Client(bool tcp = false) => new(new LookupClientOptions(new NameServer(_server.Endpoint))
    {
        UseCache = false,
        UseTcpOnly = tcp,
        Retries = 1,
        Timeout = TimeSpan.FromSeconds(3),
        ThrowDnsErrors = false,
        ContinueOnDnsError = false,
        ContinueOnEmptyResponse = false,
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Query_EachRecordType_AnswersAuthoritatively(bool tcp)
    {
        var client = Client(tcp);
        var a = await client.QueryAsync("APP.MyDomain.test", QueryType.A);
        Assert.True(a.Header.HasAuthorityAnswer);
        Assert.Equal("127.0.0.11", Assert.Single(a.Answers.ARecords()).Address.ToString());
        Assert.Equal("2001:db8::25", Assert.Single((await client.QueryAsync("mail.mydomain.test", QueryType.AAAA)).Answers.AaaaRecords()).Address.ToString());
        var mx = Assert.Single((await client.QueryAsync("mydomain.test", QueryType.MX)).Answers.MxRecords());
        Assert.Equal((10, "mail.mydomain.test."), (mx.Preference, mx.Exchange.Value));
        Assert.Equal("v=spf1 -all", Assert.Single((await client.QueryAsync("mydomain.test", QueryType.TXT)).Answers.TxtRecords()).Text.Single());
        var caa = Assert.Single((await client.QueryAsync("mydomain.test", QueryType.CAA)).Answers.CaaRecords());
        Assert.Equal(("issue", "letsencrypt.org"), (caa.Tag, caa.Value));
        var srv = Assert.Single((await client.QueryAsync("_sip._tcp.mydomain.test", QueryType.SRV)).Answers.SrvRecords());
        Assert.Equal((10, 60, 5060, "sip.mydomain.test."), (srv.Priority, srv.Weight, srv.Port, srv.Target.Value));
        Assert.Equal("ns1.mydomain.test.", Assert.Single((await client.QueryAsync("mydomain.test", QueryType.NS)).Answers.NsRecords()).NSDName.Value);
        var soa = Assert.Single((await client.QueryAsync("mydomain.test", QueryType.SOA)).Answers.SoaRecords());
        Assert.Equal(("ns1.mydomain.test.", "hostmaster.mydomain.test.", 60u), (soa.MName.Value, soa.RName.Value, soa.Minimum));
    }

    [Fact]
    public async Task Query_CnameChain_FollowsInsideZone()
    {
        var response = await Client().QueryAsync("www.mydomain.test", QueryType.A);
        Assert.Equal(2, response.Answers.CnameRecords().Count());
        Assert.Equal("127.0.0.11", Assert.Single(response.Answers.ARecords()).Address.ToString());
        Assert.Equal("app.mydomain.test.", response.Answers.ARecords().Single().DomainName.Value);
    }

    [Fact]
    public async Task Query_CnameToMissingName_NxdomainWithCname()
    {
        var response = await Client().QueryAsync("dangling.mydomain.test", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, response.Header.ResponseCode);
        Assert.Single(response.Answers.CnameRecords());
    }

    [Fact]
    public async Task Query_MissingName_NxdomainWithSoaInAuthority()
    {
        var response = await Client().QueryAsync("nope.mydomain.test", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, response.Header.ResponseCode);
        Assert.True(response.Header.HasAuthorityAnswer);
        var soa = Assert.IsType<SoaRecord>(Assert.Single(response.Authorities));
        Assert.Equal(60, soa.InitialTimeToLive);
    }

    [Theory]
    [InlineData("mail.mydomain.test", QueryType.TXT)]
    [InlineData("_tcp.mydomain.test", QueryType.A)]
    public async Task Query_ExistingNameOtherType_NodataWithSoa(string name, QueryType type)
    {
        var response = await Client().QueryAsync(name, type);
        Assert.Equal(DnsHeaderResponseCode.NoError, response.Header.ResponseCode);
        Assert.Empty(response.Answers);
        Assert.IsType<SoaRecord>(Assert.Single(response.Authorities));
    }

    [Theory]
    [InlineData("example.org")]
    [InlineData("test")]
    [InlineData("notmydomain.test")]
    public async Task Query_NameOutsideZones_Refused(string name)
    {
        var response = await Client().QueryAsync(name, QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.Refused, response.Header.ResponseCode);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public async Task Dig_LargeAnswerOverUdp_TruncatedThenFullOverTcp()
    {
        var udp = await Dig.RunAsync(_server.Endpoint, "big.mydomain.test", "TXT", "+noedns", "+ignore");
        Assert.Contains(" tc", udp.Split('\n').Single(l => l.StartsWith(";; flags:")));
        Assert.Contains("ANSWER: 0", udp);
        var tcp = await Dig.RunAsync(_server.Endpoint, "big.mydomain.test", "TXT", "+tcp");
        Assert.Contains("ANSWER: 40", tcp);
    }

    [Fact]
    public async Task Dig_ClientSubnet_LatencyAnswerAndScope()
    {
        var europe = await Dig.RunAsync(_server.Endpoint, "app.mydomain.test", "+subnet=81.2.69.0/24");
        Assert.Contains("CLIENT-SUBNET: 81.2.69.0/24/24", europe);
        Assert.Matches(@"app\.mydomain\.test\.\s+60\s+IN\s+A\s+127\.0\.0\.12", europe);
        Assert.Equal(["127.0.0.11"], await Dig.ShortAsync(_server.Endpoint, "app.mydomain.test", "+subnet=24.1.2.0/24"));
    }

    [Theory]
    [InlineData("81.2.69.0/24", "10.1.0.1", "24")]
    [InlineData("5.6.7.0/24", "10.1.0.3", "8")]
    [InlineData("200.1.2.0/24", "10.1.0.4", "")]
    public async Task Dig_ClientSubnet_GeolocationAnswerAndScope(string subnet, string expected, string scope)
    {
        var output = await Dig.RunAsync(_server.Endpoint, "geo.mydomain.test", $"+subnet={subnet}");
        Assert.Matches($@"geo\.mydomain\.test\.\s+60\s+IN\s+A\s+{expected.Replace(".", "\\.")}", output);
        if (scope.Length > 0)
        {
            Assert.Contains($"CLIENT-SUBNET: {subnet}/{scope}", output);
        }
    }

    [Fact]
    public async Task Dig_HealthChange_ShowsInNextAnswer()
    {
        Assert.Equal(["127.0.0.12"], await Dig.ShortAsync(_server.Endpoint, "app.mydomain.test", "+subnet=81.2.69.0/24"));
        _health.Set("eu", false);
        Assert.Equal(["127.0.0.11"], await Dig.ShortAsync(_server.Endpoint, "app.mydomain.test", "+subnet=81.2.69.0/24"));
    }

    [Fact]
    public async Task Dig_Flags_AuthoritativeNoRecursion()
    {
        var output = await Dig.RunAsync(_server.Endpoint, "app.mydomain.test");
        var flags = output.Split('\n').Single(l => l.StartsWith(";; flags:"));
        Assert.Contains(" aa", flags);
        Assert.DoesNotContain(" ra", flags);
        Assert.Contains("status: NOERROR", output);
    }
}
