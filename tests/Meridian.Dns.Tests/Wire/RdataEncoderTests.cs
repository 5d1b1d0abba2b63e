using Meridian.Dns.Wire;
using Meridian.Topology.Model;

namespace Meridian.Dns.Tests.Wire;

public sealed class RdataEncoderTests
{
    private static byte[] Encode(RecordType type, string value)
    {
        RdataResult result = RdataEncoder.Encode(type, value);
        Assert.True(result.Success, result.Error);
        return result.Data;
    }

    [Theory]
    [InlineData(RecordType.A, "192.0.2.1", "C0000201")]
    [InlineData(RecordType.AAAA, "2001:db8::1", "20010DB8000000000000000000000001")]
    [InlineData(RecordType.AAAA, "::ffff:192.0.2.1", "00000000000000000000FFFFC0000201")]
    [InlineData(RecordType.NS, "ns1.example.test", "036E7331076578616D706C65047465737400")]
    [InlineData(RecordType.CNAME, "www.example.test.", "03777777076578616D706C65047465737400")]
    [InlineData(RecordType.MX, "10 mail.example.test", "000A046D61696C076578616D706C65047465737400")]
    [InlineData(RecordType.SRV, "1 2 5060 sip.example.test", "0001000213C4037369700765" + "78616D706C65047465737400")]
    [InlineData(RecordType.TXT, "v=spf1 -all", "0B763D73706631202D616C6C")]
    [InlineData(RecordType.TXT, "\"v=spf1 -all\"", "0B763D73706631202D616C6C")]
    [InlineData(RecordType.TXT, "\"a b\" c \"\"", "03612062016300")]
    [InlineData(RecordType.TXT, "\"say \\\"hi\\\" \\\\ \\065\"", "0C7361792022686922205C2041")]
    [InlineData(RecordType.CAA, "0 issue \"letsencrypt.org\"", "000569737375656C657473656E63727970742E6F7267")]
    [InlineData(RecordType.CAA, "128 iodef \"mailto:sec@example.test\"", "800569" + "6F646566" + "6D61696C746F3A736563406578616D706C652E74657374")]
    [InlineData(RecordType.SOA, "ns1.t hostmaster.t 1 2 3 4 5", "036E7331017400" + "0A686F73746D61737465720174" + "00" + "0000000100000002000000030000000400000005")]
    public void Encode_ValidValue_ExpectedWire(RecordType type, string value, string hex)
    {
        Assert.Equal(hex, Convert.ToHexString(Encode(type, value)));
    }

    [Fact]
    public void Encode_TxtLongerThan255_SplitIntoCharacterStrings()
    {
        string text = new('x', 600);
        byte[] rdata = Encode(RecordType.TXT, text);
        Assert.Equal(600 + 3, rdata.Length);
        Assert.Equal(255, rdata[0]);
        Assert.Equal(255, rdata[256]);
        Assert.Equal(90, rdata[512]);
    }

    [Fact]
    public void Encode_TxtExactly255_SingleString()
    {
        byte[] rdata = Encode(RecordType.TXT, $"\"{new string('y', 255)}\"");
        Assert.Equal(256, rdata.Length);
        Assert.Equal(255, rdata[0]);
    }

    [Fact]
    public void Encode_TxtUtf8_EncodedAsBytes()
    {
        Assert.Equal("0363C3A9", Convert.ToHexString(Encode(RecordType.TXT, "cé")));
    }

    [Theory]
    [InlineData(RecordType.A, "")]
    [InlineData(RecordType.A, "1")]
    [InlineData(RecordType.A, "256.0.0.1")]
    [InlineData(RecordType.A, "1.2.3")]
    [InlineData(RecordType.A, "0x7f.0.0.1")]
    [InlineData(RecordType.A, "::1")]
    [InlineData(RecordType.AAAA, "192.0.2.1")]
    [InlineData(RecordType.AAAA, "fe80::1%eth0")]
    [InlineData(RecordType.AAAA, "2001:db8:::1")]
    [InlineData(RecordType.CNAME, "a..b")]
    [InlineData(RecordType.CNAME, "has space.test")]
    [InlineData(RecordType.CNAME, "two names")]
    [InlineData(RecordType.MX, "mail.example.test")]
    [InlineData(RecordType.MX, "70000 mail.example.test")]
    [InlineData(RecordType.MX, "-1 mail.example.test")]
    [InlineData(RecordType.SRV, "1 2 sip.example.test")]
    [InlineData(RecordType.SRV, "1 2 65536 sip.example.test")]
    [InlineData(RecordType.TXT, "\"unterminated")]
    [InlineData(RecordType.TXT, "\"bad escape \\9\"")]
    [InlineData(RecordType.CAA, "0 issue")]
    [InlineData(RecordType.CAA, "256 issue \"x\"")]
    [InlineData(RecordType.CAA, "0 is-sue \"x\"")]
    [InlineData(RecordType.CAA, "0 thistagiswaytoolong \"x\"")]
    [InlineData(RecordType.SOA, "ns1.t hostmaster.t 1 2 3 4")]
    [InlineData(RecordType.SOA, "ns1.t hostmaster.t 1 2 3 4 x")]
    public void Encode_InvalidValue_ErrorMessage(RecordType type, string value)
    {
        RdataResult result = RdataEncoder.Encode(type, value);
        Assert.False(result.Success);
        Assert.Contains(type.ToString(), result.Error);
        Assert.False(RdataEncoder.TryEncode(type, value, out _, out string error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Encode_NameWithLabelOver63_Error()
    {
        RdataResult result = RdataEncoder.Encode(RecordType.CNAME, new string('a', 64) + ".test");
        Assert.False(result.Success);
        Assert.Contains("63", result.Error);
    }

    [Fact]
    public void Encode_NameOver255_Error()
    {
        string name = string.Join('.', Enumerable.Repeat(new string('a', 63), 4));
        Assert.False(RdataEncoder.Encode(RecordType.NS, name).Success);
    }

    [Fact]
    public void Encode_TxtOver65535_Error()
    {
        Assert.False(RdataEncoder.Encode(RecordType.TXT, new string('z', 70000)).Success);
    }
}
