using System.Collections.Immutable;
using System.Diagnostics;
using Meridian.Edge.Caching;

namespace Meridian.Benchmarks;

/// <summary>
/// The disk tier's read-back with the page cache dropped (what a restarted edge or a long-evicted object pays): writes
/// <c>count</c> entries, syncs, drops the page cache (root only: <c>/proc/sys/vm/drop_caches</c>), then reads each back
/// once and prints the latency distribution. BenchmarkDotNet cannot measure this: its repetitions warm the cache.
/// <c>dotnet run -c Release --project bench/Meridian.Benchmarks -- disk-cold [count] [bytes]</c>
/// </summary>
internal static class DiskColdRead
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 500;
        var bytes = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 100 * 1024;
        if (count is < 1 or > 100_000 || bytes is < 0 or > 64 * 1024 * 1024)
        {
            Console.Error.WriteLine("count 1-100000, bytes 0-64 MiB");
            return 2;
        }

        var folder = Path.Combine(Path.GetTempPath(), "meridian-bench-disk-cold-" + Guid.NewGuid().ToString("N"));
        try
        {
            var tier = new DiskCacheTier(folder, 1L << 40, maxPendingBytes: 1L << 40);
            ImmutableArray<KeyValuePair<string, string>> headers = [new("Content-Type", "application/octet-stream")];
            var now = DateTimeOffset.UtcNow;
            var payload = new byte[bytes];
            Random.Shared.NextBytes(payload);
            for (var i = 0; i < count; i++)
            {
                var body = new CacheBody(bytes);
                body.Append(payload);
                body.Complete();
                var entry = new CacheEntry($"GET|bench|/o/{i}", $"/o/{i}", 200, headers, new CacheEntryMetadata(now, now.AddHours(1)), body);
                tier.Enqueue(entry, tier.Epoch);
                body.Release();
                while (tier.PendingWrites > 64)
                {
                    await Task.Delay(1);
                }
            }

            while (tier.PendingWrites > 0)
            {
                await Task.Delay(10);
            }

            await tier.DisposeAsync();
            var dropped = DropPageCache();
            var reopened = new DiskCacheTier(folder, 1L << 40);
            await reopened.Loaded; // reads every header: the index load itself warms those pages
            if (dropped)
            {
                DropPageCache();
            }

            var micros = new double[count];
            for (var i = 0; i < count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var read = await reopened.TryReadAsync($"GET|bench|/o/{i}") ?? throw new InvalidOperationException($"entry {i} not read back");
                micros[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                read.Entry.Body.Release();
            }

            await reopened.DisposeAsync();
            Array.Sort(micros);
            Console.WriteLine($"{count} entries of {bytes} bytes, page cache {(dropped ? "dropped" : "NOT dropped (not root): warm reads")}");
            Console.WriteLine($"read back: p50 {micros[count / 2]:F0} µs, p90 {micros[count * 9 / 10]:F0} µs, p99 {micros[Math.Min(count - 1, count * 99 / 100)]:F0} µs, max {micros[^1]:F0} µs");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool DropPageCache()
    {
        try
        {
            using (var sync = Process.Start("sync"))
            {
                sync?.WaitForExit();
            }

            File.WriteAllText("/proc/sys/vm/drop_caches", "3");
            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
