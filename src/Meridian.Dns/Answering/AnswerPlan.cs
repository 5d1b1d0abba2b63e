using Meridian.Dns.Routing;
using Meridian.Dns.Zones;

namespace Meridian.Dns.Answering;

/// <summary>
/// What a query resolves to, before it is written: the rcode, the RRsets of the answer section (each a slice of
/// <see cref="Selected"/>) and the zone whose SOA goes in the authority section of a negative answer. One instance
/// per thread, reused, so resolving allocates nothing.
/// </summary>
internal sealed class AnswerPlan
{
    /// <summary>CNAME chains longer than this stop (and the resolver follows the rest).</summary>
    public const int MaxChain = 8;

    private readonly RRset[] _sets = new RRset[MaxChain * 4 + 4];

    public SelectedRecords Selected { get; } = new();

    public AnswerOutcome Outcome { get; set; }

    public CompiledZone? NegativeZone { get; set; }

    public int SetCount { get; private set; }

    public ref readonly RRset this[int index] => ref _sets[index];

    public void Reset()
    {
        Selected.Clear();
        SetCount = 0;
        Outcome = AnswerOutcome.NoError;
        NegativeZone = null;
    }

    /// <summary>Records the records added to <see cref="Selected"/> since <paramref name="from"/> as one RRset.</summary>
    public void AddSet(NameNode? owner, ushort type, int from)
    {
        if (Selected.Count > from && SetCount < _sets.Length)
        {
            _sets[SetCount++] = new RRset(owner, type, from, Selected.Count);
        }
    }

    /// <summary>An RRset of the answer; a null owner means the question name (written as a compression pointer).</summary>
    internal readonly record struct RRset(NameNode? Owner, ushort Type, int From, int To);
}

internal enum AnswerOutcome
{
    NoError,
    NxDomain,
    Refused,
}
