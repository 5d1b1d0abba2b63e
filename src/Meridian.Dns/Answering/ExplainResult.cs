namespace Meridian.Dns.Answering;

/// <summary>
/// What the server would answer a client, and why: the explain API Route53 lacks. <see cref="Answers"/> come from
/// decoding the exact response the wire path produced, so explain and dig never disagree.
/// </summary>
public sealed record ExplainResult(
    string Name,
    string Type,
    string Client,
    string Rcode,
    int? EcsScope,
    bool Truncated,
    IReadOnlyList<ExplainAnswer> Answers,
    IReadOnlyList<ExplainAnswer> Authority,
    IReadOnlyList<string> Steps);

public sealed record ExplainAnswer(string Name, string Type, uint Ttl, string Value);
