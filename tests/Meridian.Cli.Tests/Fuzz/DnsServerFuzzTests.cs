using System.Diagnostics;
using DnsClient;
using Meridian.Cli.Tests.Support;
using Xunit.Abstractions;
using static Meridian.Cli.Tests.Support.Topologies;

namespace Meridian.Cli.Tests.Fuzz;

/// <summary>
/// Bounded fuzzing of the running DNS server (fixed seed): malformed UDP packets and garbage TCP streams, then the
/// server must still answer correctly over UDP and TCP, never have logged an unexpected error, and never have
/// answered a packet it must drop.
/// </summary>
public sealed class DnsServerFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20261126;
    private const int UdpPackets = 5000;
    private const int TcpStreams = 200;
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private TopologyFile _file = null!;
    private HostedMeridian _meridian = null!;
    private SwitchableHealthEndpoint _primary = null!;
    private SwitchableHealthEndpoint _secondary = null!;

    public async Task InitializeAsync()
    {
        // Live, healthy endpoints: "app" answers the primary however long the fuzzing takes. (With checks against a
        // closed port, "app" changed to the secondary once they failed, about 2 s in: a flaky check on a slow machine.)
        _primary = await SwitchableHealthEndpoint.StartAsync();
        _secondary = await SwitchableHealthEndpoint.StartAsync();
        _file = TopologyFile.Create(Failover(_primary.Port, _secondary.Port, staticValue: "192.0.2.1"));
        _meridian = await HostedMeridian.StartAsync(_file);
    }

    public async Task DisposeAsync()
    {
        await _meridian.DisposeAsync();
        _file.Dispose();
        await _primary.DisposeAsync();
        await _secondary.DisposeAsync();
    }

    [Fact]
    public async Task Udp_FiveThousandMalformedPackets_ServerKeepsAnsweringCorrectly()
    {
        var clock = Stopwatch.StartNew();
        var problems = new List<string>();
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        using (var exchange = new UdpExchange(_meridian.DnsEndpoint, ProbeTimeout))
        {
            foreach (var input in new FuzzPackets(Seed).Generate(UdpPackets))
            {
                var errorsBefore = ErrorCount();
                var responses = exchange.Send(input.Packet);
                if (responses is null)
                {
                    problems.Add($"no answer to the probe after {input}: server hung or died");
                    break;
                }

                if (ErrorCount() != errorsBefore)
                {
                    problems.Add($"unexpected error logged for {input}");
                }

                problems.AddRange(CheckResponses(input, responses));
                var outcome = $"{input.Kind}: {(responses.Count == 0 ? "no response" : Rcode(responses[0]))}";
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                if (problems.Count > 20)
                {
                    break;
                }
            }
        }

        output.WriteLine($"{UdpPackets} UDP packets in {clock.ElapsedMilliseconds} ms; outcomes:");
        foreach (var (outcome, count) in outcomes)
        {
            output.WriteLine($"  {outcome}: {count}");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task Tcp_TwoHundredGarbageStreams_ServerClosesThemAndKeepsAnswering()
    {
        var clock = Stopwatch.StartNew();
        var hung = new List<string>();
        var streams = TcpGarbage.Generate(Seed, TcpStreams);
        await Parallel.ForEachAsync(streams.Select((s, i) => (s.Kind, s.Stream, Index: i)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (s, _) =>
        {
            if (!await TcpGarbage.SendAsync(_meridian.DnsEndpoint, s.Stream, TimeSpan.FromSeconds(5)))
            {
                lock (hung)
                {
                    hung.Add($"#{s.Index} {s.Kind} ({s.Stream.Length} bytes): {Convert.ToHexString(s.Stream.AsSpan(0, Math.Min(64, s.Stream.Length)))}");
                }
            }
        });

        output.WriteLine($"{TcpStreams} TCP streams in {clock.ElapsedMilliseconds} ms");
        Assert.True(hung.Count == 0, "server did not close:" + Environment.NewLine + string.Join(Environment.NewLine, hung));
        Assert.Equal(0, ErrorCount());
        await AssertStillAnsweringAsync();
    }

    /// <summary>Hand-made nasty packets kept as named cases: each gets its expected rcode (or nothing) and the server keeps answering.</summary>
    [Theory]
    [MemberData(nameof(NastyPackets.Names), MemberType = typeof(NastyPackets))]
    public void Udp_NastyPacket_ExpectedRcodeAndServerKeepsAnswering(string name)
    {
        var (packet, expectedRcode) = NastyPackets.All[name];
        using var exchange = new UdpExchange(_meridian.DnsEndpoint, ProbeTimeout);

        var responses = exchange.Send(packet);

        Assert.True(responses is not null, $"the server did not answer the probe after {NastyPackets.Describe(name)}");
        Assert.Equal(0, ErrorCount());
        if (expectedRcode is null)
        {
            Assert.Empty(responses);
        }
        else
        {
            var response = Assert.Single(responses);
            Assert.Equal(WireQuery.Id(packet), WireQuery.Id(response));
            Assert.Equal(expectedRcode, response[3] & 0x0F);
        }
    }

    /// <summary>Responses must be responses (QR set) to the packet sent (same id), and packets to drop get none.</summary>
    private static IEnumerable<string> CheckResponses(FuzzInput input, List<byte[]> responses)
    {
        var mustDrop = input.Packet.Length < 12 || (input.Packet[2] & 0x80) != 0;
        if (mustDrop && responses.Count > 0)
        {
            yield return $"answered a packet it must drop: {input}";
        }

        if (responses.Count > 1)
        {
            yield return $"{responses.Count} responses to one packet: {input}";
        }

        foreach (var response in responses)
        {
            if (response.Length < 12 || (response[2] & 0x80) == 0 || (input.Packet.Length >= 2 && WireQuery.Id(response) != WireQuery.Id(input.Packet)))
            {
                yield return $"bad response {Convert.ToHexString(response.AsSpan(0, Math.Min(32, response.Length)))} to {input}";
            }
        }
    }

    private static string Rcode(byte[] response) => (response[3] & 0x0F) switch
    {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        var other => $"RCODE {other}",
    };

    private int ErrorCount() => _meridian.Logs.Lines.Count(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));

    private async Task AssertStillAnsweringAsync()
    {
        foreach (var tcp in new[] { false, true })
        {
            var dns = _meridian.Lookup(tcp);
            Assert.Equal("192.0.2.1", await dns.AddressesAsync(Fqdn("static")));
            Assert.Equal(Primary, await dns.AddressesAsync(Fqdn("app")));
            var missing = await dns.QueryAsync(Fqdn("nope"), QueryType.A);
            Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, missing.Header.ResponseCode);
        }

        Assert.Equal(0, ErrorCount());
    }
}
