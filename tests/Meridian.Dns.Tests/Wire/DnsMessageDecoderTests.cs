using Meridian.Dns.Wire;

namespace Meridian.Dns.Tests.Wire;

public sealed class DnsMessageDecoderTests
{
    [Fact]
    public void Decode_Query_QuestionAndOpt()
    {
        DecodedMessage m = DnsMessageDecoder.Decode(TestPackets.Query("a.example.test", DnsRecordType.MX, edns: true, udpSize: 4096, dnssecOk: true));
        Assert.False(m.IsResponse);
        Assert.Equal(new DecodedQuestion("a.example.test", DnsRecordType.MX, 1), m.Questions.Single());
        Assert.Equal((ushort)4096, m.Opt!.UdpPayloadSize);
        Assert.True(m.Opt.DnssecOk);
        Assert.Empty(m.Additional);
    }

    [Theory]
    [InlineData("BEEF8100000100000000000003777777C00C00010001")] // pointer loop
    [InlineData("BEEF81000001000000000000")] // question missing
    [InlineData("BEEF810000000001000000000001000100000001000A01020304")] // RDLENGTH beyond end
    [InlineData("BEEF")] // shorter than a header
    public void Decode_Malformed_FormatException(string hex)
    {
        Assert.Throws<FormatException>(() => DnsMessageDecoder.Decode(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Decode_UnknownType_Rfc3597Format()
    {
        byte[] message = Convert.FromHexString("BEEF8100000000010000000000" + "0063" + "0001" + "0000003C" + "0002" + "ABCD");
        DecodedRecord r = DnsMessageDecoder.Decode(message).Answers.Single();
        Assert.Equal(@"\# 2 ABCD", r.Data);
        Assert.Equal(60u, r.Ttl);
    }
}
