using Meridian.Edge.Caching;

namespace Meridian.Edge.Tests.Caching.Disk;

/// <summary>Files on disk are input: a mutated cache file must parse or be rejected as invalid data, never anything else.</summary>
public sealed class DiskCacheFileFuzzTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private byte[] ValidFile()
    {
        var path = Path.Combine(_folder.Path, "valid");
        var entry = DiskCacheTierTests.Entry("GET|site|/fuzz", "/fuzz", CacheTestData.Bytes(300, 5));
        DiskCacheFile.Write(path, entry);
        entry.Body.Release();
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void ParseHeader_ValidFile_Parses()
    {
        var bytes = ValidFile();

        var header = DiskCacheFile.ParseHeader(bytes, bytes.Length);

        Assert.Equal("GET|site|/fuzz", header.Key);
        Assert.Equal(300, header.BodyLength);
        Assert.Equal(bytes.Length, header.FileLength);
    }

    [Fact]
    public void ParseHeader_MutatedFiles_ParseOrInvalidData()
    {
        var valid = ValidFile();
        var random = new Random(20261126);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = (byte[])valid.Clone();
            var mutations = random.Next(1, 6);
            for (var m = 0; m < mutations; m++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var length = random.Next(4) == 0 ? random.Next(bytes.Length + 1) : bytes.Length;
            try
            {
                DiskCacheFile.ParseHeader(bytes.AsSpan(0, length), length);
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    [Fact]
    public void ParseHeader_RandomBytes_ParseOrInvalidData()
    {
        var random = new Random(7);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            if (bytes.Length >= 4 && random.Next(2) == 0)
            {
                "MDC1"u8.CopyTo(bytes);
            }

            try
            {
                DiskCacheFile.ParseHeader(bytes, bytes.Length);
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    [Fact]
    public async Task ReadAsync_EveryTruncation_InvalidData()
    {
        var valid = ValidFile();
        var path = Path.Combine(_folder.Path, "cut");
        for (var length = 0; length < valid.Length; length += 7)
        {
            await File.WriteAllBytesAsync(path, valid.AsSpan(0, length).ToArray());
            await Assert.ThrowsAsync<InvalidDataException>(() => DiskCacheFile.ReadAsync(path, "GET|site|/fuzz", long.MaxValue, CancellationToken.None));
        }
    }
}
