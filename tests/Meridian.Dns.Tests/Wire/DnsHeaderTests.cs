using Meridian.Dns.Wire;

namespace Meridian.Dns.Tests.Wire;

public sealed class DnsHeaderTests
{
    [Fact]
    public void ResponseFlags_QueryWithRdAndCd_EchoesRdCdOpcodeSetsQrAa()
    {
        ushort query = DnsHeader.FlagRD | DnsHeader.FlagCD | DnsHeader.FlagTC | DnsHeader.FlagAD;
        ushort flags = DnsHeader.ResponseFlags(query, DnsRcode.NXDomain, authoritative: true);
        Assert.Equal(DnsHeader.FlagQR | DnsHeader.FlagAA | DnsHeader.FlagRD | DnsHeader.FlagCD | 3, flags);
    }

    [Fact]
    public void SplitRcode_BadVers_HeaderZeroExtendedOne()
    {
        Assert.Equal((0, (byte)1), DnsHeader.SplitRcode(DnsRcode.BadVers));
        Assert.Equal((5, (byte)0), DnsHeader.SplitRcode(DnsRcode.Refused));
    }

    [Fact]
    public void GetOpcode_NotifyFlags_Notify()
    {
        Assert.Equal(DnsOpcode.Notify, DnsHeader.GetOpcode(4 << DnsHeader.OpcodeShift));
    }
}
