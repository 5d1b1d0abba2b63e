using System.Buffers.Binary;
using System.IO.Hashing;

namespace Meridian.Storage.Checksums;

/// <summary>
/// CRC-64/NVME (polynomial 0xAD93D23594C93659, reflected, init and xor-out all ones: S3's x-amz-checksum-crc64nvme). System.IO.Hashing's
/// Crc64 is the ECMA-182 polynomial, a different checksum, so this is a slice-by-8 table implementation.
/// </summary>
internal sealed class Crc64Nvme : NonCryptographicHashAlgorithm
{
    /// <summary>Reflected form of the NVMe polynomial 0xAD93D23594C93659.</summary>
    private const ulong Polynomial = 0x9A6C9329AC4BC9B5;

    private static readonly ulong[][] Tables = BuildTables();

    private ulong _crc = ulong.MaxValue;

    public Crc64Nvme() : base(8)
    {
    }

    public override void Append(ReadOnlySpan<byte> source)
    {
        var crc = _crc;
        var t = Tables;
        while (source.Length >= 8)
        {
            crc ^= BinaryPrimitives.ReadUInt64LittleEndian(source);
            crc = t[7][crc & 0xFF] ^ t[6][(crc >> 8) & 0xFF] ^ t[5][(crc >> 16) & 0xFF] ^ t[4][(crc >> 24) & 0xFF]
                ^ t[3][(crc >> 32) & 0xFF] ^ t[2][(crc >> 40) & 0xFF] ^ t[1][(crc >> 48) & 0xFF] ^ t[0][crc >> 56];
            source = source[8..];
        }
        foreach (var b in source)
        {
            crc = t[0][(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        _crc = crc;
    }

    public override void Reset() => _crc = ulong.MaxValue;

    protected override void GetCurrentHashCore(Span<byte> destination) => BinaryPrimitives.WriteUInt64BigEndian(destination, ~_crc);

    private static ulong[][] BuildTables()
    {
        var tables = new ulong[8][];
        tables[0] = new ulong[256];
        for (ulong i = 0; i < 256; i++)
        {
            var crc = i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ Polynomial : crc >> 1;
            }
            tables[0][i] = crc;
        }
        for (var k = 1; k < 8; k++)
        {
            tables[k] = new ulong[256];
            for (var i = 0; i < 256; i++)
            {
                var prev = tables[k - 1][i];
                tables[k][i] = tables[0][prev & 0xFF] ^ (prev >> 8);
            }
        }
        return tables;
    }
}
