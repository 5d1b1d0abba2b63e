using Meridian.Dns.Wire;

namespace Meridian.Benchmarks;

/// <summary>
/// Checks once, before measuring, that a codec's response is the answer we want: decoded by our
/// <see cref="DnsMessageDecoder"/>, it must be an authoritative NOERROR response to the query's id and question with
/// exactly one A record 127.0.0.11, an OPT record, and the ECS option echoed when the query had one.
/// </summary>
internal static class CodecResponseCheck
{
    public static void Verify(string codec, byte[] query, byte[] response, int length)
    {
        if (length <= DnsHeader.Size)
        {
            throw Fail(codec, $"no response ({length} bytes)");
        }
        DecodedMessage request = DnsMessageDecoder.Decode(query);
        DecodedMessage answer = DnsMessageDecoder.Decode(response.AsSpan(0, length));
        if (answer.Id != request.Id || !answer.IsResponse || !answer.Authoritative || answer.Rcode != DnsRcode.NoError)
        {
            throw Fail(codec, $"header: id {answer.Id:x4} (query {request.Id:x4}), flags {answer.Flags:x4}");
        }
        if (answer.Questions.Count != 1 || answer.Questions[0] != request.Questions[0])
        {
            throw Fail(codec, "question not echoed");
        }
        if (answer.Answers is not [{ Type: DnsRecordType.A, Class: DnsRecordType.ClassIN, Data: "127.0.0.11" } record]
            || record.Name != CodecAnswer.QuestionName || record.Ttl != CodecAnswer.Ttl)
        {
            throw Fail(codec, $"answers: {string.Join("; ", answer.Answers)}");
        }
        if (answer.Opt is null)
        {
            throw Fail(codec, "no OPT record");
        }
        if (request.Opt?.ClientSubnet is { } asked)
        {
            if (answer.Opt.ClientSubnet is not { } echoed || echoed.Family != asked.Family || echoed.SourcePrefix != asked.SourcePrefix
                || echoed.ScopePrefix != CodecAnswer.EcsScopePrefix || !echoed.Address.AsSpan().SequenceEqual(asked.Address))
            {
                throw Fail(codec, "ECS option not echoed");
            }
        }
    }

    private static InvalidOperationException Fail(string codec, string what) => new($"{codec}: invalid response: {what}");
}
