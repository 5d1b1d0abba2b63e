using Meridian.Topology.Model;

namespace Meridian.Database.Monitoring;

/// <summary>Observes one member (a real server in production; a scripted one in the failover state machine's tests).</summary>
public interface IMemberProbe
{
    /// <summary>Never throws for an unreachable member: that is an observation.</summary>
    Task<MemberObservation> ProbeAsync(DatabaseMemberConfig member, CancellationToken token);
}
