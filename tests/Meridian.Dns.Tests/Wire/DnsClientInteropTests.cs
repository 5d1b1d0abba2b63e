using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Meridian.Dns.Wire;
using Meridian.Topology.Model;

namespace Meridian.Dns.Tests.Wire;

/// <summary>
/// Cross-check against an independent implementation: DnsClient.NET queries a loopback UDP responder built on the
/// codec (parse, compress, OPT), and must accept and understand every answer.
/// </summary>
public sealed class DnsClientInteropTests : IAsyncLifetime
{
    private static readonly Dictionary<(string Name, ushort Type), (string Owner, RecordType Type, string Value)[]> Zone = new()
    {
        [("app.example.test", DnsRecordType.A)] =
            [("app.example.test", RecordType.CNAME, "www.example.test"), ("www.example.test", RecordType.A, "192.0.2.1"), ("www.example.test", RecordType.A, "192.0.2.2")],
        [("example.test", DnsRecordType.MX)] = [("example.test", RecordType.MX, "10 mail.example.test"), ("example.test", RecordType.MX, "20 mail2.example.test")],
        [("example.test", DnsRecordType.TXT)] = [("example.test", RecordType.TXT, "\"v=spf1 -all\" \"second\"")],
        [("example.test", DnsRecordType.CAA)] = [("example.test", RecordType.CAA, "0 issue \"letsencrypt.org\"")],
        [("example.test", DnsRecordType.AAAA)] = [("example.test", RecordType.AAAA, "2001:db8::53")],
        [("_sip._tcp.example.test", DnsRecordType.SRV)] = [("_sip._tcp.example.test", RecordType.SRV, "10 60 5060 sip.example.test")],
    };

    private readonly UdpClient _server = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private LookupClient _client = null!;

    public Task InitializeAsync()
    {
        _loop = Task.Run(ServeAsync);
        var options = new LookupClientOptions(new NameServer((IPEndPoint)_server.Client.LocalEndPoint!))
        {
            UseCache = false,
            Retries = 0,
            Timeout = TimeSpan.FromSeconds(5),
            UseTcpFallback = false,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
        };
        _client = new LookupClient(options);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Dispose();
        try
        {
            await _loop!;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ServeAsync()
    {
        byte[] response = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult request = await _server.ReceiveAsync(_stop.Token);
            int length = Respond(request.Buffer, response);
            if (length > 0)
            {
                await _server.SendAsync(response.AsMemory(0, length), request.RemoteEndPoint, _stop.Token);
            }
        }
    }

    private static int Respond(byte[] packet, byte[] buffer)
    {
        DnsQuery q = default;
        DnsParseStatus status = DnsQueryParser.TryParse(packet, ref q);
        if (status == DnsParseStatus.Drop)
        {
            return 0;
        }
        if (status != DnsParseStatus.Ok)
        {
            return DnsErrorResponse.Write(buffer, packet, in q, DnsErrorResponse.RcodeFor(status));
        }
        Span<char> chars = stackalloc char[DnsName.MaxPresentationLength];
        q.TryFormatName(chars, out int n);
        bool found = Zone.TryGetValue((chars[..n].ToString(), q.QType), out var records);
        var w = new DnsResponseWriter(buffer.AsSpan(0, q.MaxUdpResponseSize()));
        w.TryWriteHeader(in q, found ? DnsRcode.NoError : DnsRcode.NXDomain, authoritative: true);
        w.TryWriteQuestion(packet, in q);
        foreach (var (owner, type, value) in records ?? [])
        {
            w.TryWriteRecord(DnsSection.Answer, DnsName.ToWire(owner), (ushort)type, DnsRecordType.ClassIN, 300, RdataEncoder.Encode(type, value).Data!);
        }
        byte[] zone = DnsName.ToWire("example.test");
        if (found)
        {
            w.TryWriteNameRecord(DnsSection.Authority, zone, DnsRecordType.NS, 3600, DnsName.ToWire("ns1.example.test"));
        }
        else
        {
            w.TryWriteSoa(DnsSection.Authority, zone, 300, DnsName.ToWire("ns1.example.test"), DnsName.ToWire("hostmaster.example.test"), 2024, 7200, 900, 1209600, 300);
        }
        if (q.HasEdns)
        {
            w.TryWriteOpt(1232, DnsRcode.NoError, q.DnssecOk);
        }
        return w.Finish();
    }

    [Fact]
    public async Task Query_CnameChainWithMixedCase_ParsedByDnsClient()
    {
        IDnsQueryResponse r = await _client.QueryAsync("App.Example.Test", QueryType.A);
        Assert.False(r.HasError, r.ErrorMessage);
        Assert.True(r.Header.HasAuthorityAnswer);
        Assert.Equal("www.example.test.", r.Answers.CnameRecords().Single().CanonicalName.Value, ignoreCase: true);
        Assert.Equal(["192.0.2.1", "192.0.2.2"], r.Answers.ARecords().Select(a => a.Address.ToString()));
        Assert.Equal("ns1.example.test.", r.Authorities.NsRecords().Single().NSDName.Value, ignoreCase: true);
    }

    [Fact]
    public async Task Query_MxTxtCaaAaaaSrv_ParsedByDnsClient()
    {
        IDnsQueryResponse mx = await _client.QueryAsync("example.test", QueryType.MX);
        Assert.Equal(["10 mail.example.test.", "20 mail2.example.test."], mx.Answers.MxRecords().Select(m => $"{m.Preference} {m.Exchange.Value}"));

        IDnsQueryResponse txt = await _client.QueryAsync("example.test", QueryType.TXT);
        Assert.Equal(["v=spf1 -all", "second"], txt.Answers.TxtRecords().Single().Text);

        IDnsQueryResponse caa = await _client.QueryAsync("example.test", QueryType.CAA);
        CaaRecord record = caa.Answers.CaaRecords().Single();
        Assert.Equal(("issue", "letsencrypt.org"), (record.Tag, record.Value));

        IDnsQueryResponse aaaa = await _client.QueryAsync("example.test", QueryType.AAAA);
        Assert.Equal(IPAddress.Parse("2001:db8::53"), aaaa.Answers.AaaaRecords().Single().Address);

        IDnsQueryResponse srv = await _client.QueryAsync("_sip._tcp.example.test", QueryType.SRV);
        SrvRecord s = srv.Answers.SrvRecords().Single();
        Assert.Equal((10, 60, 5060, "sip.example.test."), (s.Priority, s.Weight, s.Port, s.Target.Value));
    }

    [Fact]
    public async Task Query_UnknownName_NxDomainWithSoa()
    {
        IDnsQueryResponse r = await _client.QueryAsync("nope.example.test", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, r.Header.ResponseCode);
        SoaRecord soa = r.Authorities.SoaRecords().Single();
        Assert.Equal(("ns1.example.test.", "hostmaster.example.test.", 2024u, 300u), (soa.MName.Value, soa.RName.Value, soa.Serial, soa.Minimum));
    }
}
