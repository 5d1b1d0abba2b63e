using System.Net;
using BenchmarkDotNet.Attributes;
using Meridian.Dns.Answering;
using Meridian.Dns.Wire;

namespace Meridian.Benchmarks;

/// <summary>
/// The wire-codec choice, measured (docs/architecture.md "Why a codec of our own"): the same work per query with our
/// span-based codec, ARSoft.Tools.Net and Makaretu.Dns — parse a query for <c>app.mydomain.test A</c> with EDNS
/// (and, as the second case, with an ECS option), build the authoritative response with one A record and an OPT
/// record (echoing ECS with scope /24) and serialize it into bytes. No zone lookup: only the codec is compared.
/// Every codec's response is decoded and checked once in <see cref="Setup"/>. Min and median are shown besides the
/// mean because the shared 2-core machine is noisy: the minimum is the closest to the codec's own cost.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class CodecComparisonBenchmarks
{
    private readonly byte[] _response = new byte[65535];
    private readonly MeridianCodec _meridian = new();
    private readonly ArSoftCodec _arsoft = new();
    private readonly MakaretuCodec _makaretu = new();
    private byte[] _query = null!;

    [Params("EDNS", "EDNS+ECS")]
    public string Query { get; set; } = "EDNS";

    [GlobalSetup]
    public void Setup()
    {
        IPNetwork? subnet = Query == "EDNS+ECS" ? IPNetwork.Parse(CodecAnswer.ClientSubnet) : null;
        _query = QueryBuilder.Build(CodecAnswer.QuestionName, DnsRecordType.A, subnet);
        CodecResponseCheck.Verify("Meridian", _query, _response, _meridian.Answer(_query, _response));
        CodecResponseCheck.Verify("ARSoft.Tools.Net", _query, _response, _arsoft.Answer(_query, _response));
        CodecResponseCheck.Verify("Makaretu.Dns", _query, _response, _makaretu.Answer(_query, _response));
    }

    [Benchmark(Baseline = true, Description = "Meridian (span codec)")]
    public int Meridian() => _meridian.Answer(_query, _response);

    [Benchmark(Description = "ARSoft.Tools.Net 3.6.1")]
    public int ArSoft() => _arsoft.Answer(_query, _response);

    [Benchmark(Description = "Makaretu.Dns 2.0.1")]
    public int Makaretu() => _makaretu.Answer(_query, _response);
}
