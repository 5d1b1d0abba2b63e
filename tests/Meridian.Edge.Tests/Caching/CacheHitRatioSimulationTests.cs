using Meridian.Edge.Caching;
using Xunit.Abstractions;

namespace Meridian.Edge.Tests.Caching;

/// <summary>
/// Hit ratio of the store's S3-FIFO against a plain LRU of the same capacity on one fixed trace: 1,000,000
/// requests over 100,000 Zipf-distributed keys (seed 42), a cache of 10% of the keys, and at the midpoint a scan
/// burst of 50,000 keys requested once (a crawler or a cache-warming job). A property of the algorithms (the
/// trace and both policies are deterministic), not a timing.
/// </summary>
public sealed class CacheHitRatioSimulationTests(ITestOutputHelper output)
{
    private const int Keys = 100_000;
    private const int CachedKeys = Keys / 10;
    private const int Requests = 1_000_000;
    private const int ScanKeys = 50_000;
    private const int ScanAt = Requests / 2;

    [Theory]
    [InlineData(0.9)]
    [InlineData(1.0)]
    public void Simulate_ZipfWithScanBurst_S3FifoHitRatioAtLeastLru(double s)
    {
        var trace = Trace(s);

        var (lruHits, lruAfterScan) = Replay(trace, new LruCache(CachedKeys).Access);
        var store = CreateStore();
        var (s3Hits, s3AfterScan) = Replay(trace, key =>
        {
            if (store.TryGet(key, out _))
            {
                return true;
            }

            store.Set(key, key, 200, CacheTestData.NoHeaders, CacheTestData.Metadata(), []);
            return false;
        });

        output.WriteLine($"Zipf s={s}, {Keys:N0} keys, cache {CachedKeys:N0} keys, {trace.Length:N0} requests incl. a {ScanKeys:N0}-key scan");
        output.WriteLine($"  LRU      hit ratio {Ratio(lruHits, trace.Length)}  (100k requests after the scan: {Ratio(lruAfterScan, 100_000)})");
        output.WriteLine($"  S3-FIFO  hit ratio {Ratio(s3Hits, trace.Length)}  (100k requests after the scan: {Ratio(s3AfterScan, 100_000)})");
        output.WriteLine($"  S3-FIFO store: {store.Count:N0} entries, {store.BytesStored:N0} / {store.Options.MemoryBytes:N0} bytes, {store.GetCounters().Evictions:N0} evictions");

        Assert.True(s3Hits >= lruHits, $"S3-FIFO {s3Hits} hits < LRU {lruHits}");
        Assert.True(s3AfterScan >= lruAfterScan, $"after the scan S3-FIFO {s3AfterScan} hits < LRU {lruAfterScan}");
        Assert.True(store.Count <= CachedKeys);
    }

    internal static CacheStore CreateStore() =>
        CacheTestData.Store(CachedKeys * CacheTestData.EmptyEntrySize(KeyOf(0), KeyOf(0)));

    internal static string KeyOf(int id) => id < Keys ? $"k{id:D6}" : $"s{id - Keys:D6}";

    private static string[] Trace(double s)
    {
        var keys = new string[Keys + ScanKeys];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = KeyOf(i);
        }

        var zipf = new ZipfSampler(Keys, s, seed: 42);
        var trace = new string[Requests + ScanKeys];
        var n = 0;
        for (var r = 0; r < Requests; r++)
        {
            if (r == ScanAt)
            {
                for (var i = 0; i < ScanKeys; i++)
                {
                    trace[n++] = keys[Keys + i];
                }
            }

            trace[n++] = keys[zipf.Next()];
        }

        return trace;
    }

    private static (long Hits, long HitsAfterScan) Replay(string[] trace, Func<string, bool> access)
    {
        long hits = 0, afterScan = 0;
        var scanEnd = ScanAt + ScanKeys;
        for (var i = 0; i < trace.Length; i++)
        {
            if (access(trace[i]))
            {
                hits++;
                if (i >= scanEnd && i < scanEnd + 100_000)
                {
                    afterScan++;
                }
            }
        }

        return (hits, afterScan);
    }

    private static string Ratio(long hits, long requests) => $"{100.0 * hits / requests:F2}%";
}
