using Makaretu.Dns;

namespace Meridian.Benchmarks;

/// <summary>
/// Makaretu.Dns 2.0.1: <c>Message.Read(byte[])</c>, <c>CreateResponse</c> (copies id, opcode and the question;
/// we add RD and AA), the zone's <see cref="ARecord"/>, an OPT record with the ECS option echoed (Makaretu has no
/// ECS type: the option is read as <see cref="UnknownEdnsOption"/> and we rewrite its scope byte), then
/// <c>ToByteArray()</c>, which returns a new array.
/// </summary>
internal sealed class MakaretuCodec
{
    private const EdnsOptionType ClientSubnetOption = (EdnsOptionType)8;

    private readonly ARecord _record = new()
    {
        Name = CodecAnswer.QuestionName,
        TTL = TimeSpan.FromSeconds(CodecAnswer.Ttl),
        Address = CodecAnswer.Address,
    };

    public int Answer(byte[] packet, byte[] response)
    {
        var query = new Message();
        query.Read(packet);
        Message answer = query.CreateResponse();
        answer.RD = query.RD;
        answer.AA = true;
        answer.Answers.Add(_record);
        if (query.AdditionalRecords.OfType<OPTRecord>().FirstOrDefault() is { } queryOpt)
        {
            var opt = new OPTRecord { RequestorPayloadSize = CodecAnswer.UdpPayloadSize, DO = queryOpt.DO };
            foreach (EdnsOption option in queryOpt.Options)
            {
                if (option.Type == ClientSubnetOption && option is UnknownEdnsOption { Data.Length: >= 4 } ecs)
                {
                    byte[] data = (byte[])ecs.Data.Clone();
                    data[3] = CodecAnswer.EcsScopePrefix;
                    opt.Options.Add(new UnknownEdnsOption { Type = ClientSubnetOption, Data = data });
                }
            }
            answer.AdditionalRecords.Add(opt);
        }
        byte[] bytes = answer.ToByteArray();
        bytes.CopyTo(response, 0);
        return bytes.Length;
    }
}
