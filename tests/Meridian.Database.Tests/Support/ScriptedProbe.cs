using Meridian.Database.Monitoring;
using Meridian.Topology.Model;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Database.Tests.Support;

/// <summary>Member observations set by the test; every probe returns the current script for that member.</summary>
public sealed class ScriptedProbe(FakeTimeProvider time) : IMemberProbe
{
    private readonly Dictionary<string, Func<DateTimeOffset, MemberObservation>> _script = new();
    private readonly HashSet<string> _primaries = new(StringComparer.Ordinal); // scripted writable: never evaluated for another's rows
    private readonly Lock _gate = new();

    /// <summary>A writable primary; without explicit <paramref name="replication"/> rows, every member scripted as a replica
    /// at probe time is reported streaming from it (what pg_stat_replication shows when replicas follow it).</summary>
    public void Primary(string member, long lsn, int timeline = 1, params ReplicationLag[] replication)
    {
        Set(member, t => MemberObservation.Primary(member, t, lsn, timeline, replication.Length > 0 ? replication : StreamingReplicas(member, t)));
        lock (_gate)
        {
            _primaries.Add(member);
        }
    }

    /// <summary>A writable primary that no replica streams from (e.g. just promoted; the others still follow the old one).</summary>
    public void PrimaryWithoutStreams(string member, long lsn, int timeline = 1)
    {
        Set(member, t => MemberObservation.Primary(member, t, lsn, timeline, []));
        lock (_gate)
        {
            _primaries.Add(member);
        }
    }

    // Called under _gate from ProbeAsync (the script functions run there).
    private ReplicationLag[] StreamingReplicas(string primary, DateTimeOffset time) =>
        [.. _script.Where(e => e.Key != primary && !_primaries.Contains(e.Key)).Select(e => e.Value(time)).Where(o => o.IsReplica)
            .Select(o => new ReplicationLag(o.Member, "streaming", "async", 0, 0, 0, 0, 0, 0))];

    public void Replica(string member, long position, int timeline = 1) => Set(member, t => MemberObservation.Replica(member, t, position, timeline));

    public void Down(string member, string error = "unreachable (ConnectionRefused)") => Set(member, t => MemberObservation.Unreachable(member, t, error));

    public void Set(string member, Func<DateTimeOffset, MemberObservation> observation)
    {
        lock (_gate)
        {
            _script[member] = observation;
            _primaries.Remove(member);
        }
    }

    public Task<MemberObservation> ProbeAsync(DatabaseMemberConfig member, CancellationToken token)
    {
        lock (_gate)
        {
            return Task.FromResult(_script.TryGetValue(member.Name, out var f)
                ? f(time.GetUtcNow())
                : MemberObservation.Unreachable(member.Name, time.GetUtcNow(), "not scripted"));
        }
    }
}
