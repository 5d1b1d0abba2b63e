using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;

namespace Meridian.Storage.Checksums;

/// <summary>
/// CRC-32C (Castagnoli), as S3's x-amz-checksum-crc32c. System.IO.Hashing only has the IEEE polynomial; the runtime's
/// BitOperations.Crc32C uses the SSE4.2/ARM CRC instruction (with a software fallback), so no table is needed.
/// </summary>
internal sealed class Crc32C : NonCryptographicHashAlgorithm
{
    private uint _crc = uint.MaxValue;

    public Crc32C() : base(4)
    {
    }

    public override void Append(ReadOnlySpan<byte> source)
    {
        var crc = _crc;
        while (source.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(source));
            source = source[8..];
        }
        foreach (var b in source)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        _crc = crc;
    }

    public override void Reset() => _crc = uint.MaxValue;

    /// <summary>Big-endian, as S3 encodes it before base64.</summary>
    protected override void GetCurrentHashCore(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, ~_crc);
}
