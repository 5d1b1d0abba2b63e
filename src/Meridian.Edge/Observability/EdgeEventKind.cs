namespace Meridian.Edge;

public enum EdgeEventKind
{
    /// <summary>An origin's remembered health changed (probe result or a failure seen by a request).</summary>
    OriginHealthChanged,

    /// <summary>A request moved from a failing origin to the next member of its origin group.</summary>
    Failover,
}
