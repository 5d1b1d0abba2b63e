using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Meridian.Edge.Caching;

namespace Meridian.Benchmarks;

/// <summary>
/// The edge cache's hit path: <see cref="CacheStore.TryGet"/> / <see cref="CacheStore.GetOrBeginFill"/> on a
/// hot key of a store holding 10,000 entries of 1 KiB. Allocated must be 0 B for both; reading the body costs
/// one <see cref="CacheBodyReader"/>.
/// </summary>
[MemoryDiagnoser]
public class CacheStoreBenchmarks
{
    private CacheStore _store = null!;
    private string _hot = null!;
    private string _missing = null!;

    [GlobalSetup]
    public void Setup()
    {
        _store = new CacheStore(new CacheStoreOptions { MemoryBytes = 64L * 1024 * 1024 }, TimeProvider.System);
        ImmutableArray<KeyValuePair<string, string>> headers = [new("Content-Type", "application/json"), new("Cache-Control", "max-age=60")];
        var now = DateTimeOffset.UtcNow;
        var body = new byte[1024];
        for (var i = 0; i < 10_000; i++)
        {
            var path = $"/api/items/{i}";
            _store.Set($"GET|example.com|{path}|gzip", path, 200, headers, new CacheEntryMetadata(now, now.AddMinutes(1), ETag: $"\"{i}\""), body);
        }

        // Fresh string instances, as a request's key would be: the lookup must hash and compare, not just match references.
        _hot = string.Concat("GET|example.com|/api/items/42", "|gzip");
        _missing = string.Concat("GET|example.com|/api/items/nope", "|gzip");
    }

    [Benchmark(Baseline = true, Description = "TryGet hot key")]
    public long TryGetHot() => _store.TryGet(_hot, out var entry) ? entry.Body.Length : -1;

    [Benchmark(Description = "GetOrBeginFill hot key (hit)")]
    public long GetOrBeginFillHot() => _store.GetOrBeginFill(_hot).Entry?.Body.Length ?? -1;

    [Benchmark(Description = "TryGet miss")]
    public long TryGetMiss() => _store.TryGet(_missing, out var entry) ? entry.Body.Length : -1;

    [Benchmark(Description = "TryGet + read 1 KiB body")]
    public async Task<int> TryGetAndRead()
    {
        if (!_store.TryGet(_hot, out var entry) || !entry.Body.TryOpenReader(out var reader))
        {
            return -1;
        }

        using (reader)
        {
            var total = 0;
            while (await reader.ReadAsync() is { IsEmpty: false } chunk)
            {
                total += chunk.Length;
            }

            return total;
        }
    }

    /// <summary>Every core hitting the same hot key (the contended case the striped counter and capped frequency are for).</summary>
    [Benchmark(OperationsPerInvoke = ParallelHits, Description = "TryGet hot key, all cores")]
    public void TryGetHotAllCores() =>
        Parallel.For(0, Environment.ProcessorCount, core =>
        {
            for (var i = 0; i < ParallelHits / Environment.ProcessorCount; i++)
            {
                _store.TryGet(_hot, out _);
            }
        });

    private const int ParallelHits = 1_000_000;
}
