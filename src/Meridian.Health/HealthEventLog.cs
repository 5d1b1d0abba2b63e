using Meridian.Topology.Events;

namespace Meridian.Health;

/// <summary>Recent health status changes (aggregated and per checker location).</summary>
public sealed class HealthEventLog(int capacity = HealthEventLog.DefaultCapacity) : EventRing<HealthEvent>(capacity);
