namespace Meridian.Drills.Data;

/// <summary>Replication work owed at one moment (S3 RTC's "operations pending" and "bytes pending").</summary>
public sealed record ReplicationBacklog(long Operations, long Bytes);
