using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace Meridian.Storage.Checksums;

/// <summary>One incremental x-amz-checksum-* computation; <see cref="Base64"/> is the header/trailer form.</summary>
internal sealed class ChecksumHasher : IDisposable
{
    private readonly NonCryptographicHashAlgorithm? _crc;
    private readonly IncrementalHash? _sha;

    public ChecksumHasher(ChecksumAlgorithm algorithm)
    {
        Algorithm = algorithm;
        switch (algorithm)
        {
            case ChecksumAlgorithm.Crc32:
                _crc = new Crc32();
                break;
            case ChecksumAlgorithm.Crc32C:
                _crc = new Crc32C();
                break;
            case ChecksumAlgorithm.Crc64Nvme:
                _crc = new Crc64Nvme();
                break;
            case ChecksumAlgorithm.Sha1:
                _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
                break;
            default:
                _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                break;
        }
    }

    public ChecksumAlgorithm Algorithm { get; }

    public void Append(ReadOnlySpan<byte> data)
    {
        _crc?.Append(data);
        _sha?.AppendData(data);
    }

    public byte[] Digest()
    {
        if (_sha is not null)
        {
            return _sha.GetCurrentHash();
        }
        if (_crc is Crc32 ieee)
        {
            // System.IO.Hashing returns CRC-32 little-endian; S3 (and every SDK) transmits it big-endian.
            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, ieee.GetCurrentHashAsUInt32());
            return bytes;
        }
        return _crc!.GetCurrentHash();
    }

    public string Base64() => Convert.ToBase64String(Digest());

    public static string Compute(ChecksumAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        using var hasher = new ChecksumHasher(algorithm);
        hasher.Append(data);
        return hasher.Base64();
    }

    public void Dispose() => _sha?.Dispose();
}
