namespace Meridian.Dns.Wire;

/// <summary>
/// Builds error responses (FORMERR, NOTIMP, REFUSED, SERVFAIL, BADVERS) from a query that may only be partially
/// parsed: the id and opcode/RD are echoed, the question only if it was parsed, and an OPT record when the query
/// had one (BADVERS is carried by the OPT's extended rcode, RFC 6891 6.1.3).
/// </summary>
public static class DnsErrorResponse
{
    /// <summary>The rcode to answer a parse outcome with; <see cref="DnsRcode.NoError"/> for Ok and Drop.</summary>
    public static DnsRcode RcodeFor(DnsParseStatus status) => status switch
    {
        DnsParseStatus.FormErr => DnsRcode.FormErr,
        DnsParseStatus.NotImp => DnsRcode.NotImp,
        DnsParseStatus.BadVers => DnsRcode.BadVers,
        _ => DnsRcode.NoError,
    };

    /// <summary>
    /// Writes an error response to <paramref name="destination"/> and returns its length, or 0 when nothing can be
    /// sent (buffer under 12 bytes). Fits in 512 bytes whenever the question does.
    /// </summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> packet, ref readonly DnsQuery query, DnsRcode rcode,
        ushort udpPayloadSize = 1232)
    {
        var writer = new DnsResponseWriter(destination);
        if (!writer.TryWriteHeader(in query, rcode, authoritative: false))
        {
            return 0;
        }
        if (query.QuestionLength > 0 && query.QuestionOffset + query.QuestionLength <= packet.Length)
        {
            writer.TryWriteQuestion(packet, in query);
        }
        if (query.HasEdns || rcode == DnsRcode.BadVers)
        {
            writer.TryWriteOpt(udpPayloadSize, rcode, query.DnssecOk);
        }
        return writer.Finish();
    }
}
