using Meridian.Dns.Wire;

namespace Meridian.Benchmarks;

/// <summary>
/// Our span-based codec: <see cref="DnsQueryParser.TryParse"/> into a reused <see cref="DnsQuery"/>, then
/// <see cref="DnsResponseWriter"/> into a reused buffer (question copied, owner compressed to a pointer, OPT with the
/// ECS option echoed). The same calls <c>DnsAnswerEngine</c> makes, without the zone lookup.
/// </summary>
internal sealed class MeridianCodec
{
    private DnsQuery _query;

    public int Answer(byte[] packet, byte[] response)
    {
        ref DnsQuery query = ref _query;
        if (DnsQueryParser.TryParse(packet, ref query) != DnsParseStatus.Ok)
        {
            return -1;
        }
        var writer = new DnsResponseWriter(response.AsSpan(0, query.MaxUdpResponseSize()));
        bool ok = writer.TryWriteHeader(in query, DnsRcode.NoError, authoritative: true)
            && writer.TryWriteQuestion(packet, in query)
            && writer.TryWriteQuestionRecord(DnsSection.Answer, DnsRecordType.A, DnsRecordType.ClassIN, CodecAnswer.Ttl, CodecAnswer.AddressBytes);
        if (ok && query.HasEdns)
        {
            ok = query.HasClientSubnet
                ? writer.TryWriteOpt(CodecAnswer.UdpPayloadSize, DnsRcode.NoError, query.DnssecOk, in query.ClientSubnet, CodecAnswer.EcsScopePrefix)
                : writer.TryWriteOpt(CodecAnswer.UdpPayloadSize, DnsRcode.NoError, query.DnssecOk);
        }
        return ok ? writer.Finish() : -1;
    }
}
