using Meridian.Database.Monitoring;
using Meridian.Topology.Model;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Database.Tests.Support;

/// <summary>Member observations set by the test; every probe returns the current script for that member.</summary>
public sealed class ScriptedProbe(FakeTimeProvider time) : IMemberProbe
{
    private readonly Dictionary<string, Func<DateTimeOffset, MemberObservation>> _script = new();
    private readonly Lock _gate = new();

    public void Primary(string member, long lsn, int timeline = 1, params ReplicationLag[] replication) =>
        Set(member, t => MemberObservation.Primary(member, t, lsn, timeline, replication));

    public void Replica(string member, long position, int timeline = 1) => Set(member, t => MemberObservation.Replica(member, t, position, timeline));

    public void Down(string member, string error = "unreachable (ConnectionRefused)") => Set(member, t => MemberObservation.Unreachable(member, t, error));

    public void Set(string member, Func<DateTimeOffset, MemberObservation> observation)
    {
        lock (_gate)
        {
            _script[member] = observation;
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
