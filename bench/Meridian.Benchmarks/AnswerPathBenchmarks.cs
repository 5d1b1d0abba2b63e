using BenchmarkDotNet.Attributes;
using Meridian.Dns.Answering;
using Meridian.Dns.Clients;

namespace Meridian.Benchmarks;

/// <summary>
/// Query bytes → response bytes through <see cref="DnsAnswerEngine.Respond(ReadOnlySpan{byte}, Span{byte}, ClientAddress, bool)"/>
/// (parse, resolve, write), as the UDP listener calls it, over bench/dns/bench-topology.yaml. Allocated must be 0 B.
/// </summary>
[MemoryDiagnoser]
public class AnswerPathBenchmarks
{
    private static readonly ClientAddress Loopback = ClientAddress.FromIPv4([127, 0, 0, 1]);

    private readonly byte[] _response = new byte[65535];
    private BenchEngine _bench = null!;
    private DnsAnswerEngine _engine = null!;
    private byte[] _static = null!;
    private byte[] _gslb = null!;
    private byte[] _gslbEcs = null!;
    private byte[] _nxDomain = null!;
    private byte[] _refused = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bench = new BenchEngine();
        _engine = _bench.Engine;
        _static = BenchQueries.Plain("static.mydomain.test");
        _gslb = BenchQueries.Plain("app.mydomain.test");
        _gslbEcs = BenchQueries.WithSubnet("app.mydomain.test", "81.2.69.0/24");
        _nxDomain = BenchQueries.Plain("nope.mydomain.test");
        _refused = BenchQueries.Plain("example.org");
        foreach (var query in new[] { _static, _gslb, _gslbEcs, _nxDomain, _refused })
        {
            if (_engine.Respond(query, _response, Loopback, overTcp: false) <= 12)
            {
                throw new InvalidOperationException("no answer");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _bench.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "static A")]
    public int StaticA() => _engine.Respond(_static, _response, Loopback, overTcp: false);

    [Benchmark(Description = "GSLB latency→failover alias tree")]
    public int Gslb() => _engine.Respond(_gslb, _response, Loopback, overTcp: false);

    [Benchmark(Description = "GSLB with ECS 81.2.69.0/24")]
    public int GslbEcs() => _engine.Respond(_gslbEcs, _response, Loopback, overTcp: false);

    [Benchmark(Description = "NXDOMAIN")]
    public int NxDomain() => _engine.Respond(_nxDomain, _response, Loopback, overTcp: false);

    [Benchmark(Description = "REFUSED (not our zone)")]
    public int Refused() => _engine.Respond(_refused, _response, Loopback, overTcp: false);
}
