using Meridian.Dns.Wire;

namespace Meridian.Dns.Tests.Wire;

public sealed class DnsNameTests
{
    [Theory]
    [InlineData("example.test", "076578616D706C650474657374" + "00")]
    [InlineData("example.test.", "076578616D706C650474657374" + "00")]
    [InlineData(".", "00")]
    [InlineData("", "00")]
    [InlineData("*.example", "012A076578616D706C6500")]
    [InlineData("a\\.b.c", "03612E62016300")]
    [InlineData("a\\032b", "0361206200")]
    public void ToWire_Valid_ExpectedBytes(string name, string hex)
    {
        Assert.Equal(hex, Convert.ToHexString(DnsName.ToWire(name)));
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("a b")]
    [InlineData("a\\")]
    [InlineData("a\\25")]
    [InlineData("a\\256")]
    [InlineData("ünicode.test")]
    public void ToWire_Invalid_Throws(string name)
    {
        Assert.Throws<FormatException>(() => DnsName.ToWire(name));
    }

    [Fact]
    public void TryWriteWire_DestinationTooSmall_False()
    {
        Span<byte> small = stackalloc byte[5];
        Assert.False(DnsName.TryWriteWire("example.test", small, out _));
    }

    [Theory]
    [InlineData("App.Example.TEST", "app.example.test")]
    [InlineData("a\\.b.c", "a\\046b.c")]
    [InlineData("a\\000b", "a\\000b")]
    public void TryFormat_LowercaseAndEscaped(string name, string expected)
    {
        Span<char> chars = stackalloc char[DnsName.MaxPresentationLength];
        Assert.True(DnsName.TryFormat(DnsName.ToWire(name), chars, out int n));
        Assert.Equal(expected, chars[..n].ToString());
    }

    [Fact]
    public void ToPresentation_Root_Dot()
    {
        Assert.Equal(".", DnsName.ToPresentation([0]));
    }

    [Fact]
    public void TryFormat_MalformedWire_False()
    {
        Span<char> chars = stackalloc char[64];
        Assert.False(DnsName.TryFormat([3, (byte)'a'], chars, out _));
        Assert.False(DnsName.TryFormat([], chars, out _));
    }

    [Fact]
    public void EqualsIgnoreCase_MixedCase_True()
    {
        Assert.True(DnsName.EqualsIgnoreCase(DnsName.ToWire("WWW.example.test"), DnsName.ToWire("www.EXAMPLE.test")));
        Assert.False(DnsName.EqualsIgnoreCase(DnsName.ToWire("www.example.test"), DnsName.ToWire("ww2.example.test")));
    }
}
