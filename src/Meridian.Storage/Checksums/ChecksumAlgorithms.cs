namespace Meridian.Storage.Checksums;

/// <summary>Names of the checksum algorithms as S3 spells them in headers, trailers and XML.</summary>
internal static class ChecksumAlgorithms
{
    public static readonly IReadOnlyList<ChecksumAlgorithm> All =
        [ChecksumAlgorithm.Crc32, ChecksumAlgorithm.Crc32C, ChecksumAlgorithm.Crc64Nvme, ChecksumAlgorithm.Sha1, ChecksumAlgorithm.Sha256];

    /// <summary>"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256" (x-amz-sdk-checksum-algorithm, XML element suffixes).</summary>
    public static string Name(ChecksumAlgorithm algorithm) => algorithm switch
    {
        ChecksumAlgorithm.Crc32 => "CRC32",
        ChecksumAlgorithm.Crc32C => "CRC32C",
        ChecksumAlgorithm.Crc64Nvme => "CRC64NVME",
        ChecksumAlgorithm.Sha1 => "SHA1",
        _ => "SHA256",
    };

    /// <summary>"x-amz-checksum-crc32" and so on.</summary>
    public static string HeaderName(ChecksumAlgorithm algorithm) => "x-amz-checksum-" + Name(algorithm).ToLowerInvariant();

    public static ChecksumAlgorithm? Parse(string? name) =>
        All.Select(a => (ChecksumAlgorithm?)a).FirstOrDefault(a => string.Equals(Name(a!.Value), name?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static ChecksumAlgorithm? FromHeaderName(string header) =>
        All.Select(a => (ChecksumAlgorithm?)a).FirstOrDefault(a => string.Equals(HeaderName(a!.Value), header.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Length of the raw digest, to reject a base64 value of the wrong size as malformed rather than mismatched.</summary>
    public static int DigestLength(ChecksumAlgorithm algorithm) => algorithm switch
    {
        ChecksumAlgorithm.Crc32 or ChecksumAlgorithm.Crc32C => 4,
        ChecksumAlgorithm.Crc64Nvme => 8,
        ChecksumAlgorithm.Sha1 => 20,
        _ => 32,
    };
}
