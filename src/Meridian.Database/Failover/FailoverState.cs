namespace Meridian.Database.Failover;

/// <summary>The failover state machine's states (see FailoverController for the transitions).</summary>
public enum FailoverState
{
    /// <summary>No check has run yet.</summary>
    Starting,
    /// <summary>The writer accepts writes; nothing pending.</summary>
    Healthy,
    /// <summary>The writer failed a check; promotion follows when it stays unhealthy for <c>unhealthy_for</c>.</summary>
    PrimarySuspect,
    /// <summary>A replica is being promoted (the former writer was fenced first).</summary>
    Promoting,
    /// <summary>A replica was promoted and writes; the former primary is fenced out until it returns and rejoins.</summary>
    Promoted,
    /// <summary>The former primary is being rewound into a replica of the writer.</summary>
    Rejoining,
    /// <summary>No writer: the primary is down and no replica may be promoted (none reachable, or over the lag guard).</summary>
    ReadOnly,
    /// <summary>A planned switchover is moving the writer.</summary>
    SwitchoverInProgress,
}
