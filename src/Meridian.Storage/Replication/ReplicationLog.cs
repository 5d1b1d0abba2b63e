using Microsoft.Extensions.Logging;

namespace Meridian.Storage.Replication;

internal static partial class ReplicationLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "replication {Store}: {Count} item(s) owed from before the restart, resuming")]
    public static partial void Resumed(ILogger logger, string store, int count);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "replication {Bucket}/{Key} ({VersionId}) by rule {Rule}: destination error, retrying in {Delay}: {Error}")]
    public static partial void Retrying(ILogger logger, string bucket, string key, string versionId, string rule, TimeSpan delay, string error);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Error, Message = "replication {Bucket}/{Key} ({VersionId}) by rule {Rule} FAILED (permanent error, not retried): {Error}")]
    public static partial void Failed(ILogger logger, string bucket, string key, string versionId, string rule, string error);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Error, Message = "replication {Bucket}/{Key} ({VersionId}): unexpected error; left in the journal for the next start")]
    public static partial void Unexpected(ILogger logger, string bucket, string key, string versionId, Exception error);
}
