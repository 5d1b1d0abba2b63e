using Meridian.Dns.Wire;
using Meridian.Topology.Model;
using static Meridian.Dns.Tests.Wire.TestPackets;

namespace Meridian.Dns.Tests.Wire;

public sealed class DnsResponseWriterTests
{
    private static readonly byte[] Www = DnsName.ToWire("www.example.test");
    private static readonly byte[] Zone = DnsName.ToWire("example.test");
    private static readonly byte[] Ns1 = DnsName.ToWire("ns1.example.test");

    private static byte[] Rdata(RecordType type, string value) => RdataEncoder.Encode(type, value).Data!;

    /// <summary>Builds a typical response to <paramref name="packet"/> in a buffer of <paramref name="size"/>.</summary>
    private static (byte[] Message, bool Complete) Respond(byte[] packet, int size)
    {
        DnsQuery q = default;
        Assert.Equal(DnsParseStatus.Ok, DnsQueryParser.TryParse(packet, ref q));
        byte[] buffer = new byte[size];
        var w = new DnsResponseWriter(buffer);
        bool ok = w.TryWriteHeader(in q, DnsRcode.NoError, authoritative: true)
            && w.TryWriteQuestion(packet, in q)
            && w.TryWriteQuestionRecord(DnsSection.Answer, DnsRecordType.CNAME, DnsRecordType.ClassIN, 300, Www)
            && w.TryWriteRecord(DnsSection.Answer, Www, DnsRecordType.A, DnsRecordType.ClassIN, 60, [192, 0, 2, 1])
            && w.TryWriteRecord(DnsSection.Answer, Www, DnsRecordType.A, DnsRecordType.ClassIN, 60, [192, 0, 2, 2])
            && w.TryWriteNameRecord(DnsSection.Authority, Zone, DnsRecordType.NS, 3600, Ns1)
            && w.TryWriteRecord(DnsSection.Authority, Zone, DnsRecordType.NS, DnsRecordType.ClassIN, 3600, Rdata(RecordType.NS, "ns2.example.test"))
            && w.TryWriteOpt(1232, DnsRcode.NoError, q.DnssecOk);
        if (!ok && w.Length >= DnsHeader.Size)
        {
            w.SetTruncated();
        }
        return (w.Length >= DnsHeader.Size ? buffer[..w.Finish()] : [], ok);
    }

    [Fact]
    public void Write_TypicalResponse_DecodesBack()
    {
        (byte[] message, bool complete) = Respond(Query("App.Example.Test", edns: true), 1232);

        Assert.True(complete);
        DecodedMessage m = DnsMessageDecoder.Decode(message);
        Assert.Equal(Id, m.Id);
        Assert.True(m.IsResponse);
        Assert.True(m.Authoritative);
        Assert.True(m.RecursionDesired);
        Assert.False(m.Truncated);
        Assert.Equal(DnsRcode.NoError, m.Rcode);
        Assert.Equal(new DecodedQuestion("App.Example.Test", DnsRecordType.A, DnsRecordType.ClassIN), m.Questions.Single());
        // Suffixes compressed against the client's mixed-case question take its case, as in every server.
        Assert.Equal(["app.example.test CNAME www.example.test", "www.example.test A 192.0.2.1", "www.example.test A 192.0.2.2"],
            m.Answers.Select(r => $"{r.Name.ToLowerInvariant()} {(RecordType)r.Type} {r.Data.ToLowerInvariant()}"));
        Assert.Equal(["example.test ns1.example.test", "example.test ns2.example.test"], m.Authority.Select(r => $"{r.Name} {r.Data}".ToLowerInvariant()));
        Assert.Equal(1232, m.Opt!.UdpPayloadSize);
    }

    [Fact]
    public void Write_Compression_UsesPointersIntoQuestion()
    {
        (byte[] message, _) = Respond(Query("app.example.test"), 512);

        // Question name at 12: \3app(12) \7example(16) \4test(24) \0. CNAME owner is a pointer to 12; its target
        // www.example.test becomes \3www + pointer to 16 ("example.test").
        int cname = 12 + 18 + 4;
        Assert.Equal(new byte[] { 0xC0, 12 }, message[cname..(cname + 2)]);
        Assert.Equal(new byte[] { 0, 6, 3, (byte)'w', (byte)'w', (byte)'w', 0xC0, 16 }, message[(cname + 10)..(cname + 18)]);
        // Later A records point at the CNAME's literal "www" label.
        int firstA = cname + 18;
        Assert.Equal(new byte[] { 0xC0, (byte)(cname + 12) }, message[firstA..(firstA + 2)]);
        // Without compression the message would be far bigger.
        Assert.True(message.Length < 150, $"length {message.Length}");
    }

    [Fact]
    public void Write_CompressionIsCaseInsensitive_PointsAtMixedCaseQuestion()
    {
        byte[] packet = Query("WWW.Example.TEST");
        DnsQuery q = default;
        DnsQueryParser.TryParse(packet, ref q);
        byte[] buffer = new byte[512];
        var w = new DnsResponseWriter(buffer);
        w.TryWriteHeader(in q, DnsRcode.NoError, true);
        w.TryWriteQuestion(packet, in q);
        Assert.True(w.TryWriteRecord(DnsSection.Answer, Www, DnsRecordType.A, DnsRecordType.ClassIN, 5, [10, 0, 0, 1]));
        byte[] message = buffer[..w.Finish()];
        Assert.Equal(new byte[] { 0xC0, 12 }, message[(packet.Length)..(packet.Length + 2)]);
        Assert.Equal("WWW.Example.TEST", DnsMessageDecoder.Decode(message).Answers[0].Name);
    }

    [Fact]
    public void Write_SrvTarget_NotCompressedButLaterNamesMayPointIntoIt()
    {
        byte[] packet = Query("_sip._tcp.example.test", DnsRecordType.SRV);
        DnsQuery q = default;
        DnsQueryParser.TryParse(packet, ref q);
        byte[] buffer = new byte[512];
        var w = new DnsResponseWriter(buffer);
        w.TryWriteHeader(in q, DnsRcode.NoError, true);
        w.TryWriteQuestion(packet, in q);
        Assert.True(w.TryWriteQuestionRecord(DnsSection.Answer, DnsRecordType.SRV, DnsRecordType.ClassIN, 60, Rdata(RecordType.SRV, "10 5 5060 www.example.test")));
        Assert.True(w.TryWriteSrv(DnsSection.Answer, q.Name, 60, 20, 0, 5061, Www));
        Assert.True(w.TryWriteRecord(DnsSection.Additional, Www, DnsRecordType.A, DnsRecordType.ClassIN, 60, [192, 0, 2, 7]));
        byte[] message = buffer[..w.Finish()];

        int rdata = packet.Length + 2 + 10;
        Assert.Equal(Www, message[(rdata + 6)..(rdata + 6 + Www.Length)]);
        DecodedMessage m = DnsMessageDecoder.Decode(message);
        Assert.Equal(["10 5 5060 www.example.test", "20 0 5061 www.example.test"], m.Answers.Select(a => a.Data));
        Assert.Equal(6 + Www.Length, m.Answers[1].Rdata.Length); // second SRV target still literal
        Assert.Equal("www.example.test", m.Additional[0].Name);
        int additional = message.Length - (2 + 10 + 4);
        // Pre-encoded RDATA (first SRV) is opaque, so the A owner points into the second SRV's target.
        int secondTarget = rdata + 24 + 2 + 10 + 6;
        Assert.Equal(new byte[] { 0xC0, (byte)secondTarget }, message[additional..(additional + 2)]);
    }

    [Fact]
    public void Write_MxSoaTxtCaa_DecodeToPresentation()
    {
        byte[] buffer = new byte[1024];
        var w = new DnsResponseWriter(buffer);
        w.TryWriteHeader(1, DnsHeader.FlagQR);
        w.TryWriteQuestion(Zone, DnsRecordType.ANY, DnsRecordType.ClassIN);
        Assert.True(w.TryWriteMx(DnsSection.Answer, Zone, 60, 10, DnsName.ToWire("mail.example.test")));
        Assert.True(w.TryWriteRecord(DnsSection.Answer, Zone, DnsRecordType.MX, 1, 60, Rdata(RecordType.MX, "20 mail2.example.test")));
        Assert.True(w.TryWriteRecord(DnsSection.Answer, Zone, DnsRecordType.TXT, 1, 60, Rdata(RecordType.TXT, "\"v=spf1 -all\" \"x\\\"y\"")));
        Assert.True(w.TryWriteRecord(DnsSection.Answer, Zone, DnsRecordType.CAA, 1, 60, Rdata(RecordType.CAA, "0 issue \"letsencrypt.org\"")));
        Assert.True(w.TryWriteRecord(DnsSection.Answer, Zone, DnsRecordType.SOA, 1, 60,
            Rdata(RecordType.SOA, "ns1.example.test hostmaster.example.test 2024010101 7200 900 1209600 300")));
        Assert.True(w.TryWriteSoa(DnsSection.Authority, Zone, 300, Ns1, DnsName.ToWire("hostmaster.example.test"), 5, 6, 7, 8, 9));

        DecodedMessage m = DnsMessageDecoder.Decode(buffer.AsSpan(0, w.Finish()));
        Assert.Equal(
            ["10 mail.example.test", "20 mail2.example.test", "\"v=spf1 -all\" \"x\\\"y\"", "0 issue \"letsencrypt.org\"",
             "ns1.example.test hostmaster.example.test 2024010101 7200 900 1209600 300"],
            m.Answers.Select(a => a.Data));
        Assert.Equal("ns1.example.test hostmaster.example.test 5 6 7 8 9", m.Authority[0].Data);
        Assert.True(m.Authority[0].Rdata.Length < 20 + 10, "SOA names compressed");
    }

    [Fact]
    public void TryWriteRecord_DoesNotFit_ReturnsFalseAndLeavesMessageIntact()
    {
        byte[] packet = Query("big.example.test");
        DnsQuery q = default;
        DnsQueryParser.TryParse(packet, ref q);
        byte[] buffer = new byte[512];
        var w = new DnsResponseWriter(buffer);
        w.TryWriteHeader(in q, DnsRcode.NoError, true);
        w.TryWriteQuestion(packet, in q);
        byte[] txt = Rdata(RecordType.TXT, new string('x', 100));
        int written = 0;
        while (w.TryWriteQuestionRecord(DnsSection.Answer, DnsRecordType.TXT, 1, 60, txt))
        {
            written++;
        }
        int lengthAfterFailure = w.Length;
        Assert.False(w.TryWriteQuestionRecord(DnsSection.Answer, DnsRecordType.TXT, 1, 60, txt));
        Assert.Equal(lengthAfterFailure, w.Length);
        w.SetTruncated();
        DecodedMessage m = DnsMessageDecoder.Decode(buffer.AsSpan(0, w.Finish()));
        Assert.True(m.Truncated);
        Assert.Equal(written, m.Answers.Count);
        Assert.Equal(written, w.AnswerCount);
        Assert.True(w.Length <= 512);
    }

    [Fact]
    public void Rollback_ToMark_DropsRecordsAndTheirCompressionEntries()
    {
        byte[] buffer = new byte[512];
        var w = new DnsResponseWriter(buffer);
        w.TryWriteHeader(1, DnsHeader.FlagQR);
        w.TryWriteQuestion(Zone, DnsRecordType.A, 1);
        DnsWriterMark mark = w.Mark();
        Assert.True(w.TryWriteRecord(DnsSection.Answer, DnsName.ToWire("gone.example.test"), DnsRecordType.A, 1, 1, [1, 1, 1, 1]));
        Assert.True(w.TryWriteRecord(DnsSection.Authority, Zone, DnsRecordType.NS, 1, 1, Ns1));
        w.Rollback(mark);
        Assert.Equal(mark.Position, w.Length);
        // "gone" label offset was registered; after rollback it must not be used as a pointer target.
        Assert.True(w.TryWriteRecord(DnsSection.Answer, DnsName.ToWire("x.y.gone.example.test"), DnsRecordType.A, 1, 1, [2, 2, 2, 2]));
        Assert.True(w.TryWriteRecord(DnsSection.Answer, DnsName.ToWire("gone.example.test"), DnsRecordType.A, 1, 1, [3, 3, 3, 3]));
        DecodedMessage m = DnsMessageDecoder.Decode(buffer.AsSpan(0, w.Finish()));
        Assert.Equal(["x.y.gone.example.test", "gone.example.test"], m.Answers.Select(a => a.Name));
        Assert.Empty(m.Authority);
    }

    [Fact]
    public void Respond_EveryBufferSize_EitherCompleteOrCleanlyTruncated()
    {
        byte[] packet = Query("app.example.test", edns: true);
        int full = Respond(packet, 1232).Message.Length;
        for (int size = 0; size <= full; size++)
        {
            (byte[] message, bool complete) = Respond(packet, size);
            Assert.Equal(size >= full, complete);
            if (message.Length > 0)
            {
                DecodedMessage m = DnsMessageDecoder.Decode(message);
                Assert.Equal(!complete, m.Truncated);
                Assert.True(message.Length <= size);
            }
        }
    }

    [Fact]
    public void TryWriteOpt_EcsEcho_CarriesScopeAndAddress()
    {
        byte[] packet = Query("a.example.test", edns: true, dnssecOk: true, options: Ecs(1, 22, 0, 198, 51, 100));
        DnsQuery q = default;
        DnsQueryParser.TryParse(packet, ref q);
        byte[] buffer = new byte[512];
        var w = new DnsResponseWriter(buffer);
        w.TryWriteHeader(in q, DnsRcode.NoError, true);
        w.TryWriteQuestion(packet, in q);
        Assert.True(w.TryWriteOpt(1232, DnsRcode.NoError, q.DnssecOk, in q.ClientSubnet, scopePrefix: 16));
        DecodedOpt opt = DnsMessageDecoder.Decode(buffer.AsSpan(0, w.Finish())).Opt!;
        Assert.True(opt.DnssecOk);
        Assert.Equal(0, opt.Version);
        var ecs = opt.ClientSubnet!.Value;
        Assert.Equal((ushort)1, ecs.Family);
        Assert.Equal(22, ecs.SourcePrefix);
        Assert.Equal(16, ecs.ScopePrefix);
        Assert.Equal(new byte[] { 198, 51, 100 }, ecs.Address);
    }

    [Fact]
    public void TryWriteRecord_AuthorityThenAnswer_Throws()
    {
        byte[] buffer = new byte[512];
        var w = new DnsResponseWriter(buffer);
        w.TryWriteHeader(1, DnsHeader.FlagQR);
        w.TryWriteQuestion(Zone, 1, 1);
        w.TryWriteRecord(DnsSection.Authority, Zone, DnsRecordType.NS, 1, 1, Ns1);
        try
        {
            w.TryWriteRecord(DnsSection.Answer, Zone, DnsRecordType.A, 1, 1, [1, 2, 3, 4]);
            Assert.Fail("expected InvalidOperationException");
        }
        catch (InvalidOperationException)
        {
        }
    }

    [Fact]
    public void ErrorResponse_BadVers_OptWithExtendedRcodeAndQuestion()
    {
        byte[] packet = Query("a.example.test", edns: true, version: 2);
        DnsQuery q = default;
        DnsParseStatus status = DnsQueryParser.TryParse(packet, ref q);
        byte[] buffer = new byte[512];
        int n = DnsErrorResponse.Write(buffer, packet, in q, DnsErrorResponse.RcodeFor(status));
        DecodedMessage m = DnsMessageDecoder.Decode(buffer.AsSpan(0, n));
        Assert.Equal(DnsRcode.BadVers, m.Rcode);
        Assert.Equal(0, DnsHeader.GetRcode(m.Flags));
        Assert.Equal(1, m.Opt!.ExtendedRcode);
        Assert.Equal(0, m.Opt.Version);
        Assert.Equal("a.example.test", m.Questions.Single().Name);
    }

    [Fact]
    public void ErrorResponse_FormErrBeforeQuestion_HeaderOnlyWithId()
    {
        byte[] packet = WithCount(Query("a.test"), DnsHeader.QdCountOffset, 2);
        DnsQuery q = default;
        DnsParseStatus status = DnsQueryParser.TryParse(packet, ref q);
        byte[] buffer = new byte[512];
        int n = DnsErrorResponse.Write(buffer, packet, in q, DnsErrorResponse.RcodeFor(status));
        DecodedMessage m = DnsMessageDecoder.Decode(buffer.AsSpan(0, n));
        Assert.Equal(12, n);
        Assert.Equal(Id, m.Id);
        Assert.Equal(DnsRcode.FormErr, m.Rcode);
        Assert.True(m.IsResponse);
        Assert.Empty(m.Questions);
    }

    [Fact]
    public void ErrorResponse_NotImp_EchoesOpcode()
    {
        byte[] packet = Query("a.test", flags: (ushort)((int)DnsOpcode.Notify << DnsHeader.OpcodeShift));
        DnsQuery q = default;
        DnsParseStatus status = DnsQueryParser.TryParse(packet, ref q);
        byte[] buffer = new byte[512];
        DecodedMessage m = DnsMessageDecoder.Decode(buffer.AsSpan(0, DnsErrorResponse.Write(buffer, packet, in q, DnsErrorResponse.RcodeFor(status))));
        Assert.Equal(DnsRcode.NotImp, m.Rcode);
        Assert.Equal(DnsOpcode.Notify, m.Opcode);
    }

    [Fact]
    public void ErrorResponse_Refused_WithEdnsIncludesOpt()
    {
        byte[] packet = Query("other.zone", edns: true);
        DnsQuery q = default;
        DnsQueryParser.TryParse(packet, ref q);
        byte[] buffer = new byte[512];
        DecodedMessage m = DnsMessageDecoder.Decode(buffer.AsSpan(0, DnsErrorResponse.Write(buffer, packet, in q, DnsRcode.Refused)));
        Assert.Equal(DnsRcode.Refused, m.Rcode);
        Assert.NotNull(m.Opt);
        Assert.Single(m.Questions);
    }
    [Fact]
    public void TryWriteQuestion_CompressedQuestion_CopiedVerbatimAndUsableForCompression()
    {
        // Question name: \4 [01 'x' 00 00] then a pointer to 13 ("x"): a legal backward pointer.
        byte[] packet = [0xBE, 0xEF, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 4, 1, (byte)'x', 0, 0, 0xC0, 13, 0, 1, 0, 1];
        DnsQuery q = default;
        Assert.Equal(DnsParseStatus.Ok, DnsQueryParser.TryParse(packet, ref q));
        byte[] buffer = new byte[512];
        var w = new DnsResponseWriter(buffer);
        w.TryWriteHeader(in q, DnsRcode.NoError, true);
        w.TryWriteQuestion(packet, in q);
        Assert.True(w.TryWriteRecord(DnsSection.Answer, DnsName.ToWire("x"), DnsRecordType.A, 1, 1, [1, 2, 3, 4]));
        Assert.True(w.TryWriteRecord(DnsSection.Answer, q.Name, DnsRecordType.A, 1, 1, [1, 2, 3, 5]));
        byte[] message = buffer[..w.Finish()];
        Assert.Equal(packet[12..], message[12..packet.Length]);
        // Only label starts are pointer targets, so "x" (inside the first label's data) is written literally...
        Assert.Equal(new byte[] { 1, (byte)'x', 0 }, message[packet.Length..(packet.Length + 3)]);
        // ...while the full question name compresses to offset 12 even though it contains a pointer itself.
        Assert.Equal(new byte[] { 0xC0, 12 }, message[(packet.Length + 17)..(packet.Length + 19)]);
        DecodedMessage m = DnsMessageDecoder.Decode(message);
        Assert.Equal(m.Questions[0].Name, m.Answers[1].Name);
    }

    [Fact]
    public void TryWriteQuestion_UnparsedQuery_Throws()
    {
        DnsQuery q = default;
        byte[] buffer = new byte[64];
        var w = new DnsResponseWriter(buffer);
        w.TryWriteHeader(1, DnsHeader.FlagQR);
        try
        {
            w.TryWriteQuestion(new byte[20], in q);
            Assert.Fail("expected ArgumentException");
        }
        catch (ArgumentException)
        {
        }
    }

    [Fact]
    public void TryWriteHeader_BufferUnder12_False()
    {
        var w = new DnsResponseWriter(new byte[11]);
        Assert.False(w.TryWriteHeader(1, 0));
        Assert.Equal(0, w.Length);
    }
    [Fact]
    public void Reserve_ForOpt_TruncatedResponseStillCarriesOpt()
    {
        byte[] packet = Query("big.example.test", edns: true, udpSize: 512, options: Ecs(1, 24, 0, 10, 0, 0));
        DnsQuery q = default;
        DnsQueryParser.TryParse(packet, ref q);
        byte[] buffer = new byte[q.MaxUdpResponseSize()];
        var w = new DnsResponseWriter(buffer);
        w.TryWriteHeader(in q, DnsRcode.NoError, true);
        w.TryWriteQuestion(packet, in q);
        w.Reserve(DnsResponseWriter.GetOptSize(in q));
        byte[] txt = Rdata(RecordType.TXT, new string('x', 100));
        while (w.TryWriteQuestionRecord(DnsSection.Answer, DnsRecordType.TXT, 1, 60, txt))
        {
        }
        w.SetTruncated();
        w.ReleaseReserve();
        Assert.True(w.TryWriteOpt(1232, DnsRcode.NoError, false, in q.ClientSubnet, 24));
        DecodedMessage m = DnsMessageDecoder.Decode(buffer.AsSpan(0, w.Finish()));
        Assert.True(m.Truncated);
        Assert.NotEmpty(m.Answers);
        Assert.Equal(24, m.Opt!.ClientSubnet!.Value.ScopePrefix);
        Assert.True(w.Length <= 512);
    }
}
