namespace Meridian.Database.Failover;

public enum DatabaseEventKind
{
    /// <summary>The state machine changed state.</summary>
    Transition,
    MemberDown,
    MemberUp,
    /// <summary>A member was stopped or made unable to accept writes.</summary>
    Fenced,
    /// <summary>A replica became the writer.</summary>
    Promoted,
    /// <summary>A promotion was considered and refused (lag guard, no replica); the reason says which.</summary>
    PromotionBlocked,
    Rejoined,
    RejoinFailed,
    SynchronousChanged,
    SwitchoverStep,
    /// <summary>An action failed in a way the state machine does not model (the reason carries the error).</summary>
    Error,
}
