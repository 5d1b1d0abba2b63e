using System.Net.Sockets;
using Meridian.Dns.Answering;
using Meridian.Dns.Tests.Support;
using Meridian.Dns.Wire;
using Meridian.Topology.Model;
using static Meridian.Dns.Tests.Support.TestTopology;

namespace Meridian.Dns.Tests.Server;

/// <summary>Hand-made packets where the RFCs prescribe an rcode, sent to a real server over UDP.</summary>
public sealed class RawPacketTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public Task InitializeAsync()
    {
        _server = RunningServer.Start(Create([A("app", null, "127.0.0.11")]), new TestHealthView());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<DecodedMessage?> SendAsync(byte[] packet)
    {
        using var udp = new UdpClient(_server.Endpoint.AddressFamily);
        await udp.SendAsync(packet, _server.Endpoint);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            var result = await udp.ReceiveAsync(timeout.Token);
            return DnsMessageDecoder.Decode(result.Buffer);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static byte[] Query(string name = "app.mydomain.test", ushort type = 1) => QueryBuilder.Build(name, type, null, id: 0x1234);

    [Fact]
    public async Task Send_OpcodeStatus_NotImpWithIdEchoed()
    {
        var packet = Query();
        packet[2] = (byte)(2 << 3); // opcode STATUS
        var response = await SendAsync(packet);
        Assert.NotNull(response);
        Assert.Equal(0x1234, response.Id);
        Assert.Equal(DnsRcode.NotImp, response.Rcode);
    }

    [Fact]
    public async Task Send_TwoQuestions_FormErr()
    {
        var packet = Query();
        packet[5] = 2; // QDCOUNT = 2, only one present
        var response = await SendAsync(packet);
        Assert.Equal(DnsRcode.FormErr, response?.Rcode);
    }

    [Fact]
    public async Task Send_EdnsVersion1_BadVers()
    {
        var packet = Query();
        // OPT TTL bytes are ext-rcode, version, flags(2); the OPT (no options) ends with TTL(4) and RDLENGTH(2).
        var optTtl = packet.Length - 2 - 4;
        packet[optTtl + 1] = 1;
        var response = await SendAsync(packet);
        Assert.Equal(DnsRcode.BadVers, response?.Rcode);
    }

    [Fact]
    public async Task Send_Response_Dropped()
    {
        var packet = Query();
        packet[2] |= 0x80; // QR: a response must never be answered (reflection loops)
        Assert.Null(await SendAsync(packet));
        Assert.NotNull(await SendAsync(Query()));
    }

    [Fact]
    public async Task Send_ChaosClass_Refused()
    {
        var packet = Query();
        var qclass = 12 + DnsName.ToWire("app.mydomain.test").Length + 2;
        packet[qclass + 1] = 3; // CH
        Assert.Equal(DnsRcode.Refused, (await SendAsync(packet))?.Rcode);
    }

    [Fact]
    public async Task Send_AnyQuery_AnswersAllSetsOfTheName()
    {
        var response = await SendAsync(Query("mydomain.test", 255));
        Assert.NotNull(response);
        Assert.Contains(response.Answers, a => a.Type == (ushort)RecordType.SOA);
        Assert.Contains(response.Answers, a => a.Type == (ushort)RecordType.NS);
    }
}
