using System.Net;
using Meridian.Edge.Tests.Caching.Disk;
using Meridian.Topology.Model;

namespace Meridian.Edge.Tests.Caching.Integration;

/// <summary>The disk tier through the edge: a restart keeps the cache, and a memory eviction is not an origin request.</summary>
public sealed class DiskCacheTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private EdgeConfig WithDisk(EdgeConfig config, long memoryBytes = 64L * 1024 * 1024) =>
        config with { Cache = new EdgeCacheConfig { MemoryBytes = memoryBytes, DiskPath = _folder.Path, DiskBytes = 64L * 1024 * 1024 } };

    private static async Task<(HttpStatusCode Status, string Body, string? XCache)> GetAsync(EdgeHarness edge, string path)
    {
        using var response = await edge.GetAsync(path);
        var xcache = response.Headers.TryGetValues("X-Cache", out var values) ? string.Join(",", values) : null;
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), xcache);
    }

    private static Task WrittenAsync(EdgeHarness edge) =>
        Poll.UntilAsync(() => edge.Server.GetCacheMetrics(EdgeHarness.Location).Disk is { } d && d.Writes > 0 && d.Entries > 0, "written to disk");

    [Fact]
    public async Task Get_AfterEdgeRestart_HitFromDiskWithoutOrigin()
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=600", "object {n}"));
        var config = WithDisk(CacheOrigin.Config([origin]));
        await using (var edge = await EdgeHarness.StartAsync(config))
        {
            Assert.Equal($"Miss from {EdgeHarness.Location}", (await GetAsync(edge, "/a.css")).XCache);
            await WrittenAsync(edge);
        }

        await using var restarted = await EdgeHarness.StartAsync(config);
        await Poll.UntilAsync(() => restarted.Server.GetCacheMetrics(EdgeHarness.Location).Disk is { Loaded: true }, "disk index loaded");

        var again = await GetAsync(restarted, "/a.css");

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("object 1", again.Body);
        Assert.Equal($"Hit from {EdgeHarness.Location}", again.XCache);
        Assert.Equal(1, origin.Count);
        var disk = restarted.Server.GetCacheMetrics(EdgeHarness.Location).Disk!;
        Assert.Equal(1, disk.Hits);
        Assert.Equal(0, disk.Writes); // read back, not written again
        Assert.Equal($"Hit from {EdgeHarness.Location}", (await GetAsync(restarted, "/a.css")).XCache); // now from memory
        Assert.Equal(1, restarted.Server.GetCacheMetrics(EdgeHarness.Location).Disk!.Hits);
    }

    [Fact]
    public async Task Get_EvictedFromMemory_ServedFromDisk()
    {
        var big = new string('x', 100 * 1024); // under the max object size, memory / 8
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=600", big + "{n}"));
        // 1 MiB of memory holds 9 of these 100 KiB objects: 20 evict the first ones.
        await using var edge = await EdgeHarness.StartAsync(WithDisk(CacheOrigin.Config([origin]), memoryBytes: 1024 * 1024));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"Miss from {EdgeHarness.Location}", (await GetAsync(edge, $"/o{i}")).XCache);
            // One at a time: with a 1 MiB memory tier, writes queued past 1 MiB would be dropped (by design) on a busy machine.
            var written = i + 1;
            await Poll.UntilAsync(() => edge.Server.GetCacheMetrics(EdgeHarness.Location).Disk!.Entries == written, $"/o{i} on disk");
        }

        Assert.True(edge.Server.GetCacheMetrics(EdgeHarness.Location).Evictions > 0);

        var first = await GetAsync(edge, "/o0");

        Assert.Equal($"Hit from {EdgeHarness.Location}", first.XCache);
        Assert.Equal(big + "1", first.Body);
        Assert.Equal(20, origin.Count);
        Assert.True(edge.Server.GetCacheMetrics(EdgeHarness.Location).Disk!.Hits >= 1);
    }

    [Fact]
    public async Task Invalidate_RemovesTheDiskCopy_NextGetGoesToOrigin()
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=600", "v{n}"));
        var config = WithDisk(CacheOrigin.Config([origin]));
        await using (var edge = await EdgeHarness.StartAsync(config))
        {
            await GetAsync(edge, "/img/a.png");
            await WrittenAsync(edge);
            Assert.Equal(1, edge.Server.Invalidate("site", ["/img/*"]).Invalidated);
        }

        await using var restarted = await EdgeHarness.StartAsync(config);
        await Poll.UntilAsync(() => restarted.Server.GetCacheMetrics(EdgeHarness.Location).Disk is { Loaded: true }, "disk index loaded");

        var after = await GetAsync(restarted, "/img/a.png");

        Assert.Equal($"Miss from {EdgeHarness.Location}", after.XCache);
        Assert.Equal("v2", after.Body);
    }
}
