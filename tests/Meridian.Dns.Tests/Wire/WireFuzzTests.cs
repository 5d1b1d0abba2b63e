using System.Diagnostics;
using Meridian.Dns.Wire;
using Xunit.Abstractions;
using static Meridian.Dns.Tests.Wire.TestPackets;

namespace Meridian.Dns.Tests.Wire;

/// <summary>
/// Bounded, reproducible fuzzing (fixed seeds): random packets and mutations of valid queries. The parser must
/// never throw; Ok queries must always produce a response that writes without throwing and decodes cleanly;
/// error statuses must produce a decodable error response.
/// </summary>
public sealed class WireFuzzTests(ITestOutputHelper output)
{
    private static readonly byte[] Rdata = [192, 0, 2, 1];
    private static readonly byte[] Target = DnsName.ToWire("target.example.test");

    /// <summary>Serves one packet the way the server will; throws (test failure) on any invariant violation.</summary>
    internal static void Serve(byte[] packet, int responseSize)
    {
        DnsQuery q = default;
        DnsParseStatus status = DnsQueryParser.TryParse(packet, ref q);
        Span<byte> buffer = stackalloc byte[responseSize];
        if (status == DnsParseStatus.Drop)
        {
            return;
        }
        if (status != DnsParseStatus.Ok)
        {
            int n = DnsErrorResponse.Write(buffer, packet, in q, DnsErrorResponse.RcodeFor(status));
            if (n > 0)
            {
                DecodedMessage error = DnsMessageDecoder.Decode(buffer[..n]);
                Assert.Equal(q.Id, error.Id);
                // BADVERS needs the OPT record; in a (test-only) tiny buffer it may not fit, leaving rcode 0.
                if (status != DnsParseStatus.BadVers || error.Opt is not null)
                {
                    Assert.Equal(DnsErrorResponse.RcodeFor(status), error.Rcode);
                }
            }
            return;
        }

        Assert.InRange(q.NameLength, 1, 255);
        Span<char> chars = stackalloc char[DnsName.MaxPresentationLength];
        Assert.True(q.TryFormatName(chars, out _));
        var w = new DnsResponseWriter(buffer);
        bool complete = w.TryWriteHeader(in q, DnsRcode.NoError, authoritative: true)
            && w.TryWriteQuestion(packet, in q)
            && w.TryWriteQuestionRecord(DnsSection.Answer, DnsRecordType.A, DnsRecordType.ClassIN, 60, Rdata)
            && w.TryWriteNameRecord(DnsSection.Answer, q.Name, DnsRecordType.CNAME, 60, Target)
            && w.TryWriteMx(DnsSection.Answer, Target, 60, 10, q.Name)
            && w.TryWriteSoa(DnsSection.Authority, q.Name, 60, Target, q.Name, 1, 2, 3, 4, 5)
            && (q.HasClientSubnet
                ? w.TryWriteOpt(1232, DnsRcode.NoError, q.DnssecOk, in q.ClientSubnet, q.ClientSubnet.SourcePrefix)
                : w.TryWriteOpt(1232, DnsRcode.NoError, q.DnssecOk));
        if (w.Length < DnsHeader.Size)
        {
            return;
        }
        if (!complete)
        {
            w.SetTruncated();
        }
        DecodedMessage m = DnsMessageDecoder.Decode(buffer[..w.Finish()]);
        Assert.Equal(q.Id, m.Id);
        Assert.Equal(!complete, m.Truncated);
        if (m.Questions.Count == 1)
        {
            // The copied question must mean, in the response, the name the parser saw.
            Assert.Equal(RawName(q.Name), m.Questions[0].Name, ignoreCase: true);
        }
    }

    /// <summary>The decoder's unescaped presentation of a wire name (raw bytes as chars).</summary>
    private static string RawName(ReadOnlySpan<byte> wire)
    {
        var labels = new List<string>();
        for (int i = 0; wire[i] != 0; i += wire[i] + 1)
        {
            labels.Add(new string(wire.Slice(i + 1, wire[i]).ToArray().Select(b => (char)b).ToArray()));
        }
        return labels.Count == 0 ? "." : string.Join('.', labels);
    }

    [Fact]
    public void Fuzz_RandomAndMutatedPackets_NeverThrow()
    {
        var stopwatch = Stopwatch.StartNew();
        var random = new Random(20240601);
        var failures = new List<string>();
        var statuses = new Dictionary<DnsParseStatus, int>();
        for (int i = 0; i < 20_000; i++)
        {
            byte[] packet = i % 5 == 0 ? RandomBytes(random) : Mutate(random, ValidQuery(random));
            int size = random.Next(4) == 0 ? random.Next(0, 200) : 512;
            try
            {
                Serve(packet, size);
                DnsQuery q = default;
                DnsParseStatus status = DnsQueryParser.TryParse(packet, ref q);
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
            }
            catch (Exception ex)
            {
                failures.Add($"{size} {Convert.ToHexString(packet)}: {ex.GetType().Name} {ex.Message}");
            }
        }
        output.WriteLine($"{stopwatch.ElapsedMilliseconds} ms; " + string.Join(", ", statuses.Select(s => $"{s.Key}={s.Value}")));
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(10)));
        Assert.True(statuses.GetValueOrDefault(DnsParseStatus.Ok) > 1000, "the mutations should keep many queries valid");
        Assert.True(statuses.GetValueOrDefault(DnsParseStatus.FormErr) > 1000);
    }

    /// <summary>Inputs worth keeping: pointer loops, counts beyond the packet, truncated OPT, odd labels.</summary>
    [Theory]
    [InlineData("BEEF0100000100000000000003777777C00C00010001")] // pointer loop www.www...
    [InlineData("BEEF01000001000000000000C00C00010001")] // self pointer
    [InlineData("BEEF01000001000000000000C0FF00010001")] // pointer past the end
    [InlineData("BEEF0100000100000000FFFF0161000001000100")] // ARCOUNT beyond packet
    [InlineData("BEEF0100FFFF0000000000000161000001000100")] // QDCOUNT 65535
    [InlineData("BEEF010000010000000000010161000001000100002900")] // OPT truncated in fixed part
    [InlineData("BEEF01000001000000000001016100000100010000291000000000000008000800040001")] // ECS rdata cut
    [InlineData("BEEF0100000100000000000180")] // extended label type
    [InlineData("BEEF010000010000000000003F")] // 63-byte label announced, nothing follows
    [InlineData("BEEF8100000100000000000001610000010001")] // response: drop
    [InlineData("BEEF2100000100000000000001610000010001")] // opcode 4 (NOTIFY)
    [InlineData("BEEF01000001000000000001016100000100010000290200000100000004FFFF0000")] // BADVERS + unknown option
    [InlineData("BEEF0100000100000000000104C0AB00000000C00D00010001")] // name via backward pointer into label data
    // Found by fuzzing (seed 777): a backward pointer into label data whose name ran past the question into QTYPE
    // and the OPT record; the copied question then resolved to garbage in the response.
    [InlineData("BEEF010000010000000000010178045F73697003C00C62C01547000100002908E6000180000000")]
    public void Serve_RegressionInputs_NeverThrow(string hex)
    {
        byte[] packet = Convert.FromHexString(hex);
        Serve(packet, 512);
        Serve(packet, 40);
    }

    private static byte[] RandomBytes(Random random)
    {
        byte[] bytes = new byte[random.Next(0, 80)];
        random.NextBytes(bytes);
        if (bytes.Length > 5 && random.Next(2) == 0)
        {
            bytes[2] &= 0x07; // often a plain query header, so parsing gets further
            bytes[4] = 0;
            bytes[5] = 1;
        }
        return bytes;
    }

    private static byte[] ValidQuery(Random random)
    {
        string[] labels = ["www", "App", "x", "example", "TEST", "a-b", "_sip", "_tcp", new string('z', 60)];
        int count = random.Next(0, 5);
        string name = count == 0 ? "." : string.Join('.', Enumerable.Range(0, count).Select(_ => labels[random.Next(labels.Length)]));
        byte[]? options = random.Next(3) switch
        {
            0 => Ecs(1, 24, 0, 10, 1, 2),
            1 => Ecs(2, 48, 0, 0x20, 1, 0x0d, 0xb8, 0, 1),
            _ => null,
        };
        return Query(name, (ushort)random.Next(1, 300), edns: random.Next(3) != 0, udpSize: (ushort)random.Next(0, 5000),
            version: (byte)(random.Next(10) == 0 ? 1 : 0), dnssecOk: random.Next(2) == 0, options: options);
    }

    private static byte[] Mutate(Random random, byte[] packet)
    {
        var bytes = packet.ToList();
        int mutations = random.Next(0, 4);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(8))
            {
                case 0: // bit flip
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // truncate
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2: // compression pointer somewhere
                    bytes[at] = (byte)(0xC0 | random.Next(2));
                    if (at + 1 < bytes.Count)
                    {
                        bytes[at + 1] = (byte)random.Next(0, Math.Max(1, bytes.Count + 4));
                    }
                    break;
                case 3: // oversize or random length byte
                    bytes[at] = (byte)random.Next(60, 256);
                    break;
                case 4: // counts
                    int countOffset = 4 + (2 * random.Next(4));
                    if (countOffset + 1 < bytes.Count)
                    {
                        bytes[countOffset] = random.Next(3) == 2 ? (byte)0xFF : (byte)0;
                        bytes[countOffset + 1] = (byte)random.Next(0, 4);
                    }
                    break;
                case 5: // random OPT option appended to the last record's rdata
                    byte[] option = new byte[random.Next(0, 12)];
                    random.NextBytes(option);
                    bytes.AddRange(option);
                    break;
                case 6: // duplicate a slice (e.g. a second OPT)
                    int length = random.Next(1, Math.Min(16, bytes.Count - at) + 1);
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                default: // delete a byte
                    bytes.RemoveAt(at);
                    break;
            }
        }
        return [.. bytes];
    }
}
