namespace Meridian.Dns.Wire;

/// <summary>A question as decoded by <see cref="DnsMessageDecoder"/>; the name keeps the message's letter case.</summary>
public sealed record DecodedQuestion(string Name, ushort Type, ushort Class);
