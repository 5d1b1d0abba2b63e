using Meridian.Dns.Wire;
using static Meridian.Dns.Tests.Wire.TestPackets;

namespace Meridian.Dns.Tests.Wire;

public sealed class DnsQueryParserTests
{
    [Fact]
    public void TryParse_PlainQuery_Ok()
    {
        byte[] packet = Query("app.mydomain.test", DnsRecordType.AAAA);

        Assert.Equal(DnsParseStatus.Ok, Parse(packet, out DnsQuery q));
        Assert.Equal(Id, q.Id);
        Assert.Equal(DnsOpcode.Query, q.Opcode);
        Assert.True(q.RecursionDesired);
        Assert.Equal(DnsRecordType.AAAA, q.QType);
        Assert.Equal(DnsRecordType.ClassIN, q.QClass);
        Assert.Equal(12, q.QuestionOffset);
        Assert.Equal(packet.Length - 12, q.QuestionLength);
        Assert.Equal(DnsName.ToWire("app.mydomain.test"), q.Name.ToArray());
        Assert.Equal(3, q.LabelCount);
        Assert.False(q.HasEdns);
        Assert.Equal(512, q.MaxUdpResponseSize());
    }

    [Fact]
    public void TryParse_MixedCase_NameLowercasedQuestionVerbatim()
    {
        byte[] packet = Query("ApP.MyDoMain.TEST");

        Assert.Equal(DnsParseStatus.Ok, Parse(packet, out DnsQuery q));
        Assert.Equal(DnsName.ToWire("app.mydomain.test"), q.Name.ToArray());
        Span<char> chars = stackalloc char[DnsName.MaxPresentationLength];
        Assert.True(q.TryFormatName(chars, out int n));
        Assert.Equal("app.mydomain.test", chars[..n].ToString());
        Assert.Equal((byte)'A', packet[13]); // the packet itself is untouched
    }

    [Fact]
    public void TryParse_RootName_OkWithEmptyPresentation()
    {
        Assert.Equal(DnsParseStatus.Ok, Parse(Query(".", DnsRecordType.NS), out DnsQuery q));
        Assert.Equal(0, q.LabelCount);
        Assert.Equal(1, q.NameLength);
        Span<char> chars = stackalloc char[16];
        Assert.True(q.TryFormatName(chars, out int n));
        Assert.Equal(0, n);
    }

    [Fact]
    public void TryParse_FormatName_WorksWithAlternateLookup()
    {
        var zones = new Dictionary<string, int> { ["app.mydomain.test"] = 7 };
        var lookup = zones.GetAlternateLookup<ReadOnlySpan<char>>();
        Parse(Query("APP.mydomain.test"), out DnsQuery q);
        Span<char> chars = stackalloc char[DnsName.MaxPresentationLength];
        Assert.True(q.TryFormatName(chars, out int n));
        Assert.True(lookup.TryGetValue(chars[..n], out int value));
        Assert.Equal(7, value);
    }

    [Fact]
    public void TryParse_Edns_ReadsPayloadVersionAndDo()
    {
        Assert.Equal(DnsParseStatus.Ok, Parse(Query("a.test", edns: true, udpSize: 4096, dnssecOk: true), out DnsQuery q));
        Assert.True(q.HasEdns);
        Assert.Equal(4096, q.EdnsUdpPayloadSize);
        Assert.True(q.DnssecOk);
        Assert.Equal(0, q.EdnsVersion);
        Assert.Equal(1232, q.MaxUdpResponseSize(1232));
    }

    [Fact]
    public void TryParse_EdnsSmallPayload_ClampedTo512()
    {
        Parse(Query("a.test", edns: true, udpSize: 100), out DnsQuery q);
        Assert.Equal(512, q.EdnsUdpPayloadSize);
    }

    [Fact]
    public void TryParse_EdnsVersion1_BadVers()
    {
        Assert.Equal(DnsParseStatus.BadVers, Parse(Query("a.test", edns: true, version: 1), out DnsQuery q));
        Assert.True(q.EdnsUnsupportedVersion);
        Assert.Equal(Id, q.Id);
        Assert.True(q.QuestionLength > 0);
    }

    [Fact]
    public void TryParse_EcsIPv4_Parsed()
    {
        byte[] packet = Query("a.test", edns: true, options: Ecs(1, 24, 0, 198, 51, 100));
        Assert.Equal(DnsParseStatus.Ok, Parse(packet, out DnsQuery q));
        Assert.True(q.HasClientSubnet);
        Assert.Equal(1, q.ClientSubnet.Family);
        Assert.Equal(24, q.ClientSubnet.SourcePrefix);
        Assert.Equal(0, q.ClientSubnet.ScopePrefix);
        Assert.Equal(new byte[] { 198, 51, 100, 0 }, q.ClientSubnet.FullAddress.ToArray());
    }

    [Fact]
    public void TryParse_EcsIPv6_Parsed()
    {
        byte[] packet = Query("a.test", edns: true, options: Ecs(2, 56, 0, 0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56));
        Assert.Equal(DnsParseStatus.Ok, Parse(packet, out DnsQuery q));
        Assert.Equal(2, q.ClientSubnet.Family);
        Assert.Equal(56, q.ClientSubnet.SourcePrefix);
        Assert.Equal(16, q.ClientSubnet.FullAddress.Length);
        Assert.Equal(0x56, q.ClientSubnet.FullAddress[6]);
        Assert.Equal(0, q.ClientSubnet.FullAddress[7]);
    }

    [Fact]
    public void TryParse_EcsZeroPrefix_Ok()
    {
        Assert.Equal(DnsParseStatus.Ok, Parse(Query("a.test", edns: true, options: Ecs(1, 0, 0)), out DnsQuery q));
        Assert.True(q.HasClientSubnet);
        Assert.Equal(0, q.ClientSubnet.AddressLength);
    }

    [Fact]
    public void TryParse_OtherOptionsAndEcs_EcsFoundOthersIgnored()
    {
        byte[] cookie = [0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8];
        byte[] packet = Query("a.test", edns: true, options: Concat(cookie, Ecs(1, 32, 0, 10, 0, 0, 1)));
        Assert.Equal(DnsParseStatus.Ok, Parse(packet, out DnsQuery q));
        Assert.True(q.HasClientSubnet);
    }

    public static TheoryData<string, byte[]> InvalidEcs => new()
    {
        { "address longer than prefix", Ecs(1, 24, 0, 198, 51, 100, 0) },
        { "address shorter than prefix", Ecs(1, 24, 0, 198, 51) },
        { "bits beyond prefix set", Ecs(1, 23, 0, 198, 51, 101) },
        { "ipv4 prefix > 32", Ecs(1, 33, 0, 1, 2, 3, 4, 0) },
        { "ipv6 prefix > 128", Ecs(2, 129, 0, new byte[17]) },
        { "unknown family", Ecs(3, 8, 0, 1) },
        { "option shorter than 4", [0, 8, 0, 2, 0, 1] },
        { "two ecs options", Concat(Ecs(1, 8, 0, 10), Ecs(1, 8, 0, 10)) },
        { "option length beyond rdata", [0, 8, 0, 40, 0, 1, 8, 0, 10] },
        { "truncated option header", [0, 8, 0] },
    };

    [Theory]
    [MemberData(nameof(InvalidEcs))]
    public void TryParse_InvalidEcsOrOptions_FormErr(string scenario, byte[] options)
    {
        Assert.Equal(DnsParseStatus.FormErr, Parse(Query("a.test", edns: true, options: options), out DnsQuery q));
        Assert.True(q.Id == Id, scenario);
    }

    [Fact]
    public void TryParse_ShorterThanHeader_Drop()
    {
        Assert.Equal(DnsParseStatus.Drop, Parse(Query("a.test")[..11], out _));
        Assert.Equal(DnsParseStatus.Drop, Parse([], out _));
    }

    [Fact]
    public void TryParse_Response_Drop()
    {
        Assert.Equal(DnsParseStatus.Drop, Parse(Query("a.test", flags: DnsHeader.FlagQR), out _));
    }

    [Theory]
    [InlineData(DnsOpcode.Notify)]
    [InlineData(DnsOpcode.Update)]
    [InlineData(DnsOpcode.Status)]
    [InlineData(DnsOpcode.IQuery)]
    public void TryParse_OtherOpcode_NotImp(DnsOpcode opcode)
    {
        byte[] packet = Query("a.test", flags: (ushort)((int)opcode << DnsHeader.OpcodeShift));
        Assert.Equal(DnsParseStatus.NotImp, Parse(packet, out DnsQuery q));
        Assert.Equal(Id, q.Id);
        Assert.Equal(opcode, q.Opcode);
    }

    [Theory]
    [InlineData(DnsHeader.QdCountOffset, 0)]
    [InlineData(DnsHeader.QdCountOffset, 2)]
    [InlineData(DnsHeader.AnCountOffset, 1)]
    [InlineData(DnsHeader.NsCountOffset, 1)]
    [InlineData(DnsHeader.ArCountOffset, 1)]
    [InlineData(DnsHeader.ArCountOffset, 0xFFFF)]
    [InlineData(DnsHeader.AnCountOffset, 0xFFFF)]
    public void TryParse_BadCounts_FormErrWithId(int offset, int value)
    {
        byte[] packet = WithCount(Query("a.test"), offset, (ushort)value);
        Assert.Equal(DnsParseStatus.FormErr, Parse(packet, out DnsQuery q));
        Assert.Equal(Id, q.Id);
    }

    [Fact]
    public void TryParse_HeaderOnly_FormErr()
    {
        Assert.Equal(DnsParseStatus.FormErr, Parse(Query("a.test")[..12], out DnsQuery q));
        Assert.Equal(Id, q.Id);
    }

    [Fact]
    public void TryParse_EveryTruncation_FormErrNeverOk()
    {
        byte[] packet = Query("www.example.test", edns: true, options: Ecs(1, 24, 0, 1, 2, 3));
        for (int length = 12; length < packet.Length; length++)
        {
            Assert.Equal(DnsParseStatus.FormErr, Parse(packet[..length], out _));
        }
    }

    [Fact]
    public void TryParse_TwoOptRecords_FormErr()
    {
        byte[] packet = WithCount(Concat(Query("a.test", edns: true), Opt(1232, 0, false, [])), DnsHeader.ArCountOffset, 2);
        Assert.Equal(DnsParseStatus.FormErr, Parse(packet, out _));
    }

    [Fact]
    public void TryParse_OptWithNonRootOwner_FormErr()
    {
        byte[] opt = Opt(1232, 0, false, []);
        byte[] packet = WithCount(Concat(Query("a.test"), DnsName.ToWire("x"), opt[1..]), DnsHeader.ArCountOffset, 1);
        Assert.Equal(DnsParseStatus.FormErr, Parse(packet, out _));
    }

    [Fact]
    public void TryParse_NonOptAdditionalRecord_Ignored()
    {
        // A TSIG-like record (type 250) with a 2-byte rdata precedes the OPT.
        byte[] other = Concat(DnsName.ToWire("key.test"), [0, 250, 0, 255, 0, 0, 0, 0, 0, 2, 0xAB, 0xCD]);
        byte[] packet = WithCount(Concat(Query("a.test"), other, Opt(2048, 0, false, [])), DnsHeader.ArCountOffset, 2);
        Assert.Equal(DnsParseStatus.Ok, Parse(packet, out DnsQuery q));
        Assert.Equal(2048, q.EdnsUdpPayloadSize);
    }

    [Fact]
    public void TryParse_CompressionLoopInQuestion_FormErr()
    {
        // \x03www followed by a pointer back to offset 12: www.www.www... forever.
        byte[] packet = [0xBE, 0xEF, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, (byte)'w', (byte)'w', (byte)'w', 0xC0, 12, 0, 1, 0, 1];
        Assert.Equal(DnsParseStatus.FormErr, Parse(packet, out DnsQuery q));
        Assert.Equal(Id, q.Id);
    }

    [Fact]
    public void TryParse_SelfPointer_FormErr()
    {
        byte[] packet = [0xBE, 0xEF, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1];
        Assert.Equal(DnsParseStatus.FormErr, Parse(packet, out _));
    }

    [Fact]
    public void TryParse_ForwardPointer_FormErr()
    {
        byte[] packet = [0xBE, 0xEF, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 18, 0, 1, 0, 1, 1, (byte)'a', 0];
        Assert.Equal(DnsParseStatus.FormErr, Parse(packet, out _));
    }

    [Fact]
    public void TryParse_PointerIntoHeader_FormErr()
    {
        byte[] packet = [0xBE, 0xEF, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 2, 0, 1, 0, 1];
        Assert.Equal(DnsParseStatus.FormErr, Parse(packet, out _));
    }

    [Fact]
    public void TryParse_BackwardPointerToTerminatingName_Followed()
    {
        // Label "x" whose data byte 0x01 'a' 0x00 is reused: offset 12: \x04 \x01 'a' \x00 \x00 -> then pointer to 13.
        // Name = label[01 61 00 00] + (name at 13 = "a") => 2 labels.
        byte[] packet = [0xBE, 0xEF, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 4, 1, (byte)'A', 0, 0, 0xC0, 13, 0, 1, 0, 1];
        Assert.Equal(DnsParseStatus.Ok, Parse(packet, out DnsQuery q));
        Assert.Equal(2, q.LabelCount);
        Assert.Equal(new byte[] { 4, 1, (byte)'a', 0, 0, 1, (byte)'a', 0 }, q.Name.ToArray());
        Assert.Equal(packet.Length - 12, q.QuestionLength);
    }

    [Fact]
    public void TryParse_LabelLongerThan63_FormErr()
    {
        byte[] packet = [0xBE, 0xEF, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 64, .. new byte[64], 0, 0, 1, 0, 1];
        Assert.Equal(DnsParseStatus.FormErr, Parse(packet, out _));
    }

    [Fact]
    public void TryParse_ExtendedLabelType_FormErr()
    {
        byte[] packet = [0xBE, 0xEF, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0, 0, 1, 0, 1];
        Assert.Equal(DnsParseStatus.FormErr, Parse(packet, out _));
    }

    [Fact]
    public void TryParse_NameOf255Bytes_OkAnd256_FormErr()
    {
        // 4 labels of 63 = 256 bytes with root: too long; 3x63 + 61 + root = 255: ok.
        static byte[] Build(int lastLabel)
        {
            var name = new List<byte>();
            for (int i = 0; i < 3; i++)
            {
                name.Add(63);
                name.AddRange(Enumerable.Repeat((byte)'a', 63));
            }
            name.Add((byte)lastLabel);
            name.AddRange(Enumerable.Repeat((byte)'b', lastLabel));
            name.Add(0);
            return [0xBE, 0xEF, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, .. name, 0, 1, 0, 1];
        }

        Assert.Equal(DnsParseStatus.Ok, Parse(Build(61), out DnsQuery q));
        Assert.Equal(255, q.NameLength);
        Assert.Equal(DnsParseStatus.FormErr, Parse(Build(62), out _));
    }

    [Fact]
    public void TryParse_ReusedQueryStruct_ResetsPreviousState()
    {
        DnsQuery q = default;
        DnsQueryParser.TryParse(Query("a.test", edns: true, options: Ecs(1, 8, 0, 10)), ref q);
        Assert.True(q.HasClientSubnet);
        Assert.Equal(DnsParseStatus.Ok, DnsQueryParser.TryParse(Query("b.test"), ref q));
        Assert.False(q.HasEdns);
        Assert.False(q.HasClientSubnet);
    }
    [Fact]
    public void TryParse_PointerWhoseNameRunsPastThePointer_FormErr()
    {
        // \3 [C0 0C 62] then a pointer to 21 (inside that label): label 0x0C there would read past the pointer.
        byte[] packet = Convert.FromHexString("BEEF010000010000000000010178045F73697003C00C62C01547000100002908E6000180000000");
        Assert.Equal(DnsParseStatus.FormErr, Parse(packet, out _));
    }
}
