using Microsoft.Extensions.Logging;

namespace Meridian.Storage;

internal static partial class StorageLog
{
    [LoggerMessage(1, LogLevel.Error, "S3 {Method} {Resource} failed")]
    public static partial void RequestFailed(ILogger logger, string method, string resource, Exception error);

    [LoggerMessage(2, LogLevel.Information, "Object store {Store} ({Region}) listening on {Endpoint}, data in {DataDirectory}")]
    public static partial void Started(ILogger logger, string store, string region, string endpoint, string dataDirectory);

    [LoggerMessage(3, LogLevel.Information, "Object store {Store} stopped")]
    public static partial void Stopped(ILogger logger, string store);
}
