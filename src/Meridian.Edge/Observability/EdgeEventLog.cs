using Meridian.Topology.Events;

namespace Meridian.Edge;

/// <summary>Recent edge events: origin health changes and failovers.</summary>
public sealed class EdgeEventLog(int capacity = EdgeEventLog.DefaultCapacity) : EventRing<EdgeEvent>(capacity);
