using System.Text;
using Meridian.Storage.Checksums;

namespace Meridian.Storage.Tests;

public sealed class ChecksumTests
{
    /// <summary>The catalogued check values for "123456789" (CRC RevEng), big-endian as S3 sends them.</summary>
    [Theory]
    [InlineData("CRC32", "cbf43926")]
    [InlineData("CRC32C", "e3069283")]
    [InlineData("CRC64NVME", "ae8b14860a799888")]
    public void Compute_CheckString_MatchesCatalogue(string algorithm, string hex)
    {
        var value = ChecksumHasher.Compute(ChecksumAlgorithms.Parse(algorithm)!.Value, Encoding.ASCII.GetBytes("123456789"));
        Assert.Equal(hex, Convert.ToHexStringLower(Convert.FromBase64String(value)));
    }

    [Theory]
    [InlineData("CRC32")]
    [InlineData("CRC32C")]
    [InlineData("CRC64NVME")]
    public void Append_InPieces_SameAsWhole(string algorithm)
    {
        var data = new byte[10_007];
        new Random(7).NextBytes(data);
        var alg = ChecksumAlgorithms.Parse(algorithm)!.Value;
        using var pieces = new ChecksumHasher(alg);
        for (var i = 0; i < data.Length; i += 333)
        {
            pieces.Append(data.AsSpan(i, Math.Min(333, data.Length - i)));
        }
        Assert.Equal(ChecksumHasher.Compute(alg, data), pieces.Base64());
    }
}
