using Meridian.Dns.Clients;
using Meridian.Dns.Routing;
using Meridian.Dns.Server;
using Meridian.Dns.Wire;
using Meridian.Dns.Zones;

namespace Meridian.Dns.Answering;

/// <summary>
/// The answer path: parse → resolve against the current snapshot → write. Reads one volatile snapshot reference
/// per query, so a reload never blocks or drops a query, and a health change shows in the very next answer (there
/// is no answer cache to go stale). Allocation-free in steady state (see the allocation test and benchmark).
/// </summary>
internal sealed class DnsAnswerEngine : IDnsResponder
{
    private const ushort ClassIn = 1;

    [ThreadStatic]
    private static AnswerPlan? t_plan;

    private volatile ZoneSnapshot _snapshot;

    public DnsAnswerEngine(ZoneSnapshot snapshot, int maxUdpPayload)
    {
        _snapshot = snapshot;
        MaxUdpPayload = maxUdpPayload;
    }

    public int MaxUdpPayload { get; set; }

    public ZoneSnapshot Snapshot
    {
        get => _snapshot;
        set => _snapshot = value;
    }

    public int Respond(ReadOnlySpan<byte> packet, Span<byte> response, ClientAddress source, bool overTcp) =>
        Respond(packet, response, source, overTcp, null);

    public int Respond(ReadOnlySpan<byte> packet, Span<byte> response, ClientAddress source, bool overTcp, IResolveTracer? trace)
    {
        var query = default(DnsQuery);
        var status = DnsQueryParser.TryParse(packet, ref query);
        if (status == DnsParseStatus.Drop)
        {
            return 0;
        }

        var limit = overTcp ? Math.Min(response.Length, ushort.MaxValue) : Math.Min(response.Length, query.MaxUdpResponseSize(MaxUdpPayload));
        if (status != DnsParseStatus.Ok)
        {
            return DnsErrorResponse.Write(response[..limit], packet, in query, DnsErrorResponse.RcodeFor(status), (ushort)MaxUdpPayload);
        }

        if (query.QClass != ClassIn)
        {
            return DnsErrorResponse.Write(response[..limit], packet, in query, DnsRcode.Refused, (ushort)MaxUdpPayload);
        }

        var client = ClientFor(in query, source);
        Span<char> name = stackalloc char[DnsName.MaxPresentationLength];
        query.TryFormatName(name, out var nameLength);
        var plan = t_plan ??= new AnswerPlan();
        var snapshot = _snapshot;
        QueryResolver.Resolve(snapshot, name[..nameLength], query.QType, ref client, plan, trace);
        return AnswerWriter.Write(response[..limit], packet, in query, plan, in client, (ushort)MaxUdpPayload);
    }

    private static ClientInfo ClientFor(ref readonly DnsQuery query, ClientAddress source)
    {
        // RFC 7871 7.1.2: SOURCE PREFIX-LENGTH 0 means "do not use my subnet": answer for the resolver itself.
        if (query.HasClientSubnet && query.ClientSubnet.SourcePrefix > 0)
        {
            var subnet = query.ClientSubnet;
            var v4 = subnet.Family == DnsClientSubnet.FamilyIPv4;
            var address = v4 ? ClientAddress.FromIPv4(subnet.FullAddress) : ClientAddress.FromIPv6(subnet.FullAddress);
            return new ClientInfo(address, subnet.SourcePrefix + (v4 ? 96 : 0), fromEcs: true);
        }

        return new ClientInfo(source, 128, fromEcs: false);
    }
}
