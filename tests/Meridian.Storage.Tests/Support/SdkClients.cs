using Amazon.Runtime;
using Amazon.S3;

namespace Meridian.Storage.Tests.Support;

/// <summary>AWSSDK.S3 clients for a test store: path-style, default checksum settings (aws-chunked with a CRC32 trailer).</summary>
internal static class SdkClients
{
    public static AmazonS3Client For(TestStore store, string accessKey = TestStore.AccessKey, string secretKey = TestStore.SecretKey) =>
        new(new BasicAWSCredentials(accessKey, secretKey), new AmazonS3Config
        {
            ServiceURL = store.Url,
            ForcePathStyle = true,
            AuthenticationRegion = TestStore.Region,
            MaxErrorRetry = 0,
        });
}
