namespace Meridian.Dns.Wire;

/// <summary>
/// Response codes. Values above 15 are extended (RFC 6891): the low 4 bits go in the header, the upper 8 bits in
/// the OPT record's TTL field; <see cref="DnsHeader.SplitRcode"/> does the split.
/// </summary>
public enum DnsRcode : ushort
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NXDomain = 3,
    NotImp = 4,
    Refused = 5,
    BadVers = 16,
}
