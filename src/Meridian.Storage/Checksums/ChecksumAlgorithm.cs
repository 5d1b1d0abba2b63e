namespace Meridian.Storage.Checksums;

/// <summary>The additional checksums S3 accepts (x-amz-checksum-*), besides Content-MD5.</summary>
internal enum ChecksumAlgorithm
{
    Crc32,
    Crc32C,
    Crc64Nvme,
    Sha1,
    Sha256,
}
