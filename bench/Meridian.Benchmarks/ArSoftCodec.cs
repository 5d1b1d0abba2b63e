using System.Reflection;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace Meridian.Benchmarks;

/// <summary>
/// ARSoft.Tools.Net 3.6.1: <c>DnsMessage.Parse</c>, <c>CreateResponseInstance</c> (copies id, RD/CD, opcode, the
/// questions and the EDNS version/payload), the zone's <see cref="ARecord"/>, the ECS option echoed with our scope,
/// then the library's own encoder. That encoder, <c>DnsMessageBase.Encode()</c>, is internal (the library's
/// <c>DnsServer</c> calls it); we bind it once to a delegate, so calling it costs what a direct call would.
/// </summary>
internal sealed class ArSoftCodec
{
    private static readonly Func<DnsMessageBase, DnsRawPackage> Encode = typeof(DnsMessageBase)
        .GetMethod("Encode", BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes)
        ?.CreateDelegate<Func<DnsMessageBase, DnsRawPackage>>()
        ?? throw new MissingMethodException("ARSoft.Tools.Net.Dns.DnsMessageBase", "Encode");

    private readonly ARecord _record = new(DomainName.Parse(CodecAnswer.QuestionName), CodecAnswer.Ttl, CodecAnswer.Address);

    public int Answer(byte[] packet, byte[] response)
    {
        DnsMessage query = DnsMessage.Parse(packet);
        DnsMessage answer = query.CreateResponseInstance();
        answer.IsAuthoritiveAnswer = true;
        answer.ReturnCode = ReturnCode.NoError;
        answer.AnswerRecords.Add(_record);
        if (query.EDnsOptions is { } queryOpt && answer.EDnsOptions is { } opt)
        {
            opt.UdpPayloadSize = CodecAnswer.UdpPayloadSize;
            foreach (EDnsOptionBase option in queryOpt.Options)
            {
                if (option is ClientSubnetOption ecs)
                {
                    opt.Options.Add(new ClientSubnetOption(ecs.SourceNetmask, CodecAnswer.EcsScopePrefix, ecs.Address));
                }
            }
        }
        ArraySegment<byte> bytes = Encode(answer).ToArraySegment(false);
        bytes.AsSpan().CopyTo(response);
        return bytes.Count;
    }
}
