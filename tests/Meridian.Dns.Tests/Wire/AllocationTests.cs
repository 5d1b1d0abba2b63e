using Meridian.Dns.Wire;
using Meridian.Topology.Model;
using Xunit.Abstractions;
using static Meridian.Dns.Tests.Wire.TestPackets;

namespace Meridian.Dns.Tests.Wire;

/// <summary>The hot path (parse, name lookup, write a compressed response with OPT/ECS) must not allocate.</summary>
public sealed class AllocationTests(ITestOutputHelper output)
{
    [Fact]
    public void ParseAndRespond_SteadyState_ZeroAllocations()
    {
        byte[][] packets =
        [
            Query("App.Example.Test", edns: true, options: Ecs(1, 24, 0, 198, 51, 100)),
            Query("www.example.test", DnsRecordType.AAAA),
            Query("example.test", DnsRecordType.MX, edns: true, version: 1),
            WithCount(Query("bad.test"), DnsHeader.QdCountOffset, 2),
        ];
        var names = new Dictionary<string, int> { ["app.example.test"] = 1, ["www.example.test"] = 2 };
        Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
        byte[] www = DnsName.ToWire("www.example.test");
        byte[] zone = DnsName.ToWire("example.test");
        byte[] ns = DnsName.ToWire("ns1.example.test");
        byte[] txt = RdataEncoder.Encode(RecordType.TXT, "\"v=spf1 -all\"").Data!;
        byte[] response = new byte[1232];
        var query = new DnsQuery();
        char[] chars = new char[DnsName.MaxPresentationLength];

        int found = 0;
        void Run(int iterations)
        {
            for (int i = 0; i < iterations; i++)
            {
                byte[] packet = packets[i % packets.Length];
                DnsParseStatus status = DnsQueryParser.TryParse(packet, ref query);
                if (status != DnsParseStatus.Ok)
                {
                    DnsErrorResponse.Write(response, packet, in query, DnsErrorResponse.RcodeFor(status));
                    continue;
                }
                query.TryFormatName(chars, out int n);
                if (lookup.TryGetValue(chars.AsSpan(0, n), out int value))
                {
                    found += value;
                }
                var w = new DnsResponseWriter(response.AsSpan(0, query.MaxUdpResponseSize()));
                w.TryWriteHeader(in query, DnsRcode.NoError, authoritative: true);
                w.TryWriteQuestion(packet, in query);
                w.TryWriteQuestionRecord(DnsSection.Answer, DnsRecordType.CNAME, DnsRecordType.ClassIN, 60, www);
                w.TryWriteRecord(DnsSection.Answer, www, DnsRecordType.A, DnsRecordType.ClassIN, 60, [192, 0, 2, 1]);
                w.TryWriteRecord(DnsSection.Answer, www, DnsRecordType.TXT, DnsRecordType.ClassIN, 60, txt);
                w.TryWriteSoa(DnsSection.Authority, zone, 300, ns, zone, 1, 2, 3, 4, 5);
                if (query.HasClientSubnet)
                {
                    w.TryWriteOpt(1232, DnsRcode.NoError, query.DnssecOk, in query.ClientSubnet, 24);
                }
                else if (query.HasEdns)
                {
                    w.TryWriteOpt(1232, DnsRcode.NoError, query.DnssecOk);
                }
                w.Finish();
            }
        }

        Run(10_000); // warm-up: JIT, tiering, static initialisation
        long before = GC.GetAllocatedBytesForCurrentThread();
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        Run(100_000);
        TimeSpan elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(start);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Timing is informational only (shared CI machines); the assertion is about allocations.
        output.WriteLine($"allocated {allocated} bytes over 100000 queries; {elapsed.TotalNanoseconds / 100_000:F0} ns/query");
        Assert.True(found > 0);
        Assert.Equal(0, allocated);
    }
}
