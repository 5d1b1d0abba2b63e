using System.Diagnostics;
using Meridian.Edge.Caching;

namespace Meridian.Edge.Tests.Caching;

/// <summary>
/// Parallel gets, fills (some failing, some oversize), waits, removals, refreshes and invalidations on a small
/// store, so evictions return pooled buffers that other fills reuse at once: a reader seeing another key's bytes
/// would mean a buffer went back to the pool while still readable.
/// </summary>
public sealed class CacheStoreStressTests
{
    private const int Keys = 300;
    private const long Memory = 96 * 1024; // 12 KiB max object: lengths up to 16,000 make some fills oversize

    private static readonly byte[][] Bodies = Enumerable.Range(0, Keys).Select(i => CacheTestData.Bytes(i * 997 % 16_000, (byte)i)).ToArray();

    [Fact]
    public async Task Store_ParallelMixedOperations_NoErrorsAndBytesWithinBound()
    {
        var store = CacheTestData.Store(Memory);
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, 4).Select(seed => Task.Run(() => WorkAsync(store, seed, stopwatch))).ToArray();

        var operations = await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        var counters = store.GetCounters();
        Assert.True(operations.Sum() > 1000, $"{operations.Sum()} operations");
        Assert.True(counters.Evictions > 0 && counters.Hits > 0 && counters.Misses > 0, counters.ToString());
        Assert.InRange(store.BytesStored, 0, Memory);
        store.Invalidate("/*");
        Assert.Equal(0, store.BytesStored);
        Assert.Equal(0, store.Count);
    }

    private static async Task<int> WorkAsync(CacheStore store, int seed, Stopwatch stopwatch)
    {
        var random = new Random(seed);
        var operations = 0;
        // At most 2 s or 20,000 operations per worker, whichever first: enough interleavings on 2 cores.
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(2) && operations < 20_000)
        {
            var k = random.Next(Keys);
            var key = $"k{k}";
            var op = random.Next(100);
            if (op < 60)
            {
                var lookup = store.GetOrBeginFill(key);
                switch (lookup.Kind)
                {
                    case CacheLookupKind.Hit:
                        await ReadAndVerifyAsync(lookup.Entry!, k, mayFail: false);
                        break;
                    case CacheLookupKind.Fill:
                        await FillAsync(lookup.Fill!, k, random);
                        break;
                    default:
                        if (await lookup.WaitAsync() is { } entry)
                        {
                            await ReadAndVerifyAsync(entry, k, mayFail: true);
                        }

                        break;
                }
            }
            else if (op < 80)
            {
                if (store.TryGet(key, out var entry))
                {
                    await ReadAndVerifyAsync(entry, k, mayFail: false);
                }
            }
            else if (op < 90)
            {
                store.Remove(key);
            }
            else if (op < 95)
            {
                store.Refresh(key, CacheTestData.Metadata(random.Next(1, 100)));
            }
            else
            {
                store.Invalidate(random.Next(2) == 0 ? $"/p{k}" : $"/p{k % 10}*");
            }

            Assert.InRange(store.BytesStored, 0, Memory);
            operations++;
        }

        return operations;
    }

    private static async Task FillAsync(CacheFill fill, int k, Random random)
    {
        using (fill)
        {
            var body = Bodies[k];
            var declared = random.Next(2) == 0 ? body.Length : (long?)null;
            if (!fill.Start($"/p{k}", 200, CacheTestData.TextHeaders, CacheTestData.Metadata(), declared))
            {
                return; // oversize: streamed through by the filler, not stored
            }

            var failAt = random.Next(20) == 0 ? body.Length / 2 : -1;
            for (var offset = 0; offset < body.Length; offset += 1500)
            {
                if (offset >= failAt && failAt >= 0)
                {
                    fill.Fail(new IOException("origin reset"));
                    return;
                }

                fill.Append(body.AsSpan(offset, Math.Min(1500, body.Length - offset)));
                if (random.Next(4) == 0)
                {
                    await Task.Yield(); // let waiters read mid-fill
                }
            }

            fill.Complete();
        }
    }

    private static async Task ReadAndVerifyAsync(CacheEntry entry, int k, bool mayFail)
    {
        if (!entry.Body.TryOpenReader(out var reader))
        {
            return; // evicted and released between lookup and read: the caller would go to the origin
        }

        using (reader)
        {
            var expected = Bodies[k];
            var offset = 0;
            try
            {
                while (await reader.ReadAsync() is { IsEmpty: false } chunk)
                {
                    Assert.True(chunk.Span.SequenceEqual(expected.AsSpan(offset, chunk.Length)), $"k{k} bytes differ at {offset}");
                    offset += chunk.Length;
                }
            }
            catch (CacheFillFailedException) when (mayFail)
            {
                return;
            }

            Assert.Equal(expected.Length, offset);
        }
    }
}
