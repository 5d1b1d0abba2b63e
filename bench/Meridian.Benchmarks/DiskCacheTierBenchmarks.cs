using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Meridian.Edge.Caching;

namespace Meridian.Benchmarks;

/// <summary>
/// The edge cache's disk tier: reading one entry back (open, header, body into pooled segments, XxHash3 check), the
/// cost a memory miss pays instead of an origin fetch, and writing one (temp file, one pwritev, rename). Files are in
/// the page cache here (a warm disk); a cold read adds the device's latency.
/// <c>dotnet run -c Release --project bench/Meridian.Benchmarks -- --filter '*DiskCacheTier*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class DiskCacheTierBenchmarks
{
    private string _folder = null!;
    private DiskCacheTier _tier = null!;
    private CacheEntry _entry = null!;
    private string _key = null!;
    private int _writes;

    [Params(1024, 100 * 1024)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "meridian-bench-disk-" + Guid.NewGuid().ToString("N"));
        _tier = new DiskCacheTier(_folder, 1L << 30);
        ImmutableArray<KeyValuePair<string, string>> headers = [new("Content-Type", "application/octet-stream"), new("Cache-Control", "max-age=3600")];
        var body = new CacheBody(BodyBytes);
        body.Append(new byte[BodyBytes]);
        body.Complete();
        var now = DateTimeOffset.UtcNow;
        _key = $"GET|example.com|/static/{BodyBytes}.bin";
        _entry = new CacheEntry(_key, $"/static/{BodyBytes}.bin", 200, headers, new CacheEntryMetadata(now, now.AddHours(1), ETag: "\"v1\""), body);
        _tier.Enqueue(_entry, _tier.Epoch);
        while (_tier.PendingWrites > 0 || !_tier.Contains(_key))
        {
            await Task.Delay(10);
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _tier.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Description = "read back (TryReadAsync)")]
    public async Task<long> Read()
    {
        var read = await _tier.TryReadAsync(_key);
        var length = read!.Value.Entry.Body.Length;
        read.Value.Entry.Body.Release();
        return length;
    }

    [Benchmark(Description = "write (DiskCacheFile.Write + rename)")]
    public long Write()
    {
        var path = Path.Combine(_folder, $"w{_writes++}.tmp");
        var length = DiskCacheFile.Write(path, _entry);
        File.Move(path, Path.Combine(_folder, "written"), overwrite: true);
        return length;
    }
}
