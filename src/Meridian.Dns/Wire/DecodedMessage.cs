namespace Meridian.Dns.Wire;

/// <summary>A whole message decoded by <see cref="DnsMessageDecoder"/> (tests and tools; allocates freely).</summary>
public sealed record DecodedMessage
{
    public required ushort Id { get; init; }
    public required ushort Flags { get; init; }
    public required IReadOnlyList<DecodedQuestion> Questions { get; init; }
    public required IReadOnlyList<DecodedRecord> Answers { get; init; }
    public required IReadOnlyList<DecodedRecord> Authority { get; init; }
    /// <summary>Additional records, excluding the OPT record (see <see cref="Opt"/>).</summary>
    public required IReadOnlyList<DecodedRecord> Additional { get; init; }
    public DecodedOpt? Opt { get; init; }

    public bool IsResponse => (Flags & DnsHeader.FlagQR) != 0;
    public bool Authoritative => (Flags & DnsHeader.FlagAA) != 0;
    public bool Truncated => (Flags & DnsHeader.FlagTC) != 0;
    public bool RecursionDesired => (Flags & DnsHeader.FlagRD) != 0;
    public DnsOpcode Opcode => DnsHeader.GetOpcode(Flags);

    /// <summary>The full rcode: header bits plus the OPT's extended bits.</summary>
    public DnsRcode Rcode => (DnsRcode)(DnsHeader.GetRcode(Flags) | ((Opt?.ExtendedRcode ?? 0) << 4));
}
