using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Meridian.Storage.Replication;

/// <summary>Which failures are worth retrying: S3 CRR marks FAILED only what a retry cannot fix.</summary>
internal static class ReplicationErrors
{
    public static bool IsPermanent(Exception error) => error switch
    {
        AmazonS3Exception s3 => IsPermanentStatus(s3.StatusCode, s3.ErrorCode),
        AmazonServiceException service when service.StatusCode != 0 => IsPermanentStatus(service.StatusCode, service.ErrorCode),
        ReplicationDestinationException d => d.Permanent,
        HttpRequestException or SocketException or IOException or TimeoutException or OperationCanceledException => false,
        AmazonClientException => false, // connection-level failures the SDK wraps
        _ => false,
    };

    /// <summary>4xx are permanent (403 AccessDenied, 404 NoSuchBucket, 400s) except throttling and timeouts.</summary>
    private static bool IsPermanentStatus(HttpStatusCode status, string? code) =>
        (int)status is >= 400 and < 500 && status is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
        && code is not ("SlowDown" or "RequestTimeout" or "RequestTimeTooSkewed");

    public static string Describe(Exception error) => error switch
    {
        AmazonS3Exception s3 => $"{(int)s3.StatusCode} {s3.ErrorCode}: {s3.Message}",
        _ => $"{error.GetType().Name}: {error.Message}",
    };
}
