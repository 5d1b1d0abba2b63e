using Meridian.Topology.Events;

namespace Meridian.Database.Failover;

/// <summary>Recent database events (state changes, promotions, fencing, rejoins) of every cluster in the process.</summary>
public sealed class DatabaseEventLog(int capacity = DatabaseEventLog.DefaultCapacity) : EventRing<DatabaseEvent>(capacity);
