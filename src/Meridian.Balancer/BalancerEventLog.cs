using Meridian.Topology.Events;

namespace Meridian.Balancer;

/// <summary>Recent balancer events: target registrations, state changes, removals, fail-open transitions.</summary>
public sealed class BalancerEventLog(int capacity = BalancerEventLog.DefaultCapacity) : EventRing<BalancerEvent>(capacity);
