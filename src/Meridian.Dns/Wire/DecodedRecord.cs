namespace Meridian.Dns.Wire;

/// <summary>
/// A resource record as decoded by <see cref="DnsMessageDecoder"/>: <see cref="Data"/> is the RDATA in presentation
/// form ("10 mail.example.test" for MX, names without trailing dot, compression pointers followed);
/// <see cref="Rdata"/> is the raw bytes as on the wire (pointers not expanded).
/// </summary>
public sealed record DecodedRecord(string Name, ushort Type, ushort Class, uint Ttl, string Data, byte[] Rdata);
