using Meridian.Dns.Clients;
using Meridian.Dns.Wire;
using Meridian.Topology.Model;

namespace Meridian.Dns.Answering;

/// <summary>
/// Writes an <see cref="AnswerPlan"/> as a response: AA set, answer RRsets, SOA in the authority section of
/// negative answers (RFC 2308), OPT with the ECS scope (RFC 7871). When the answer does not fit the client's UDP
/// size, the records are dropped and TC is set so the client retries over TCP (RFC 1035 4.2.1, RFC 7766).
/// </summary>
internal static class AnswerWriter
{
    private const ushort ClassIn = 1;

    public static int Write(Span<byte> response, ReadOnlySpan<byte> packet, ref readonly DnsQuery query, AnswerPlan plan, ref readonly ClientInfo client, ushort serverPayload)
    {
        var rcode = plan.Outcome switch
        {
            AnswerOutcome.NxDomain => DnsRcode.NXDomain,
            AnswerOutcome.Refused => DnsRcode.Refused,
            _ => DnsRcode.NoError,
        };

        var writer = new DnsResponseWriter(response);
        writer.TryWriteHeader(in query, rcode, authoritative: plan.Outcome != AnswerOutcome.Refused);
        if (!writer.TryWriteQuestion(packet, in query))
        {
            return DnsErrorResponse.Write(response, packet, in query, DnsRcode.FormErr, serverPayload);
        }

        // Leave room for the OPT record so a truncated answer still carries EDNS.
        var optSize = !query.HasEdns ? 0 : 11 + (query.HasClientSubnet ? 8 + query.ClientSubnet.AddressLength : 0);
        var afterQuestion = writer.Mark();
        if (!TryWriteRecords(ref writer, plan) || writer.Length + optSize > response.Length)
        {
            writer.Rollback(afterQuestion);
            writer.SetTruncated();
        }

        if (query.HasClientSubnet)
        {
            var subnet = query.ClientSubnet;
            writer.TryWriteOpt(serverPayload, rcode, false, in subnet, (byte)(client.FromEcs ? client.EcsScope : 0));
        }
        else if (query.HasEdns)
        {
            writer.TryWriteOpt(serverPayload, rcode, false);
        }

        return writer.Finish();
    }

    private static bool TryWriteRecords(ref DnsResponseWriter writer, AnswerPlan plan)
    {
        for (var s = 0; s < plan.SetCount; s++)
        {
            ref readonly var set = ref plan[s];
            for (var e = set.From; e < set.To; e++)
            {
                ref readonly var entry = ref plan.Selected[e];
                foreach (var rdata in entry.Rdata)
                {
                    var ok = set.Owner is null
                        ? writer.TryWriteQuestionRecord(DnsSection.Answer, set.Type, ClassIn, entry.Ttl, rdata)
                        : writer.TryWriteRecord(DnsSection.Answer, set.Owner.WireName, set.Type, ClassIn, entry.Ttl, rdata);
                    if (!ok)
                    {
                        return false;
                    }
                }
            }
        }

        if (plan.NegativeZone is { } zone)
        {
            return writer.TryWriteRecord(DnsSection.Authority, zone.WireName, (ushort)RecordType.SOA, ClassIn, zone.NegativeTtl, zone.SoaRdata);
        }

        return true;
    }
}
