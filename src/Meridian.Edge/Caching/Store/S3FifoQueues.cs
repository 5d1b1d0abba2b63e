namespace Meridian.Edge.Caching;

/// <summary>
/// S3-FIFO (Yang et al., SOSP'23, "FIFO queues are all you need for cache eviction"), weighted by bytes.
/// <para>
/// Why S3-FIFO and not W-TinyLFU: a hit is one saturating counter bump on the node (no list move, no sketch of
/// 4 hashed counters, no read buffer to drain), which is what lets the hit path run without a lock; W-TinyLFU
/// needs its window LRU and SLRU reordered on hits, so Caffeine buffers hits and replays them under a lock.
/// Both resist scans; on the Zipf traces of the paper S3-FIFO's miss ratio matches or beats W-TinyLFU.
/// </para>
/// <para>
/// New objects enter the small FIFO (10% of the bytes: most one-hit wonders of a web trace are gone within
/// that window). Leaving it, an object hit at least <see cref="PromoteFrequency"/> times moves to the main FIFO,
/// others are evicted and remembered in the ghost queue. The main FIFO reinserts objects with frequency &gt; 0
/// (decrementing it: CLOCK-like second chances) and evicts the rest. A scan fills and flushes the small queue
/// only: the hot set in main is untouched.
/// </para>
/// Not thread-safe: the store calls it under its eviction lock.
/// </summary>
internal sealed class S3FifoQueues(long capacityBytes)
{
    // The paper's Algorithm 1 promotes at freq > 1; one hit (freq ≥ 1) measured the same on the Zipf trace of
    // CacheHitRatioSimulationTests (63.48% vs 63.39% at s = 0.9, 74.15% vs 74.05% at s = 1.0) and promotes an
    // object requested twice within the small window, the common "second request" of a newly popular object.
    public const int PromoteFrequency = 1;

    // 10% of the bytes, the paper's default: large enough to catch the second request of a warming object,
    // small enough that a scan can only ever flush a tenth of the cache.
    private long _smallTarget = Math.Max(1, capacityBytes / 10);
    private long _mainTarget = capacityBytes - Math.Max(1, capacityBytes / 10);
    private readonly Queue<CacheNode> _small = new();
    private readonly Queue<CacheNode> _main = new();
    private readonly GhostQueue _ghost = new();
    private int _dead;
    private int _live;

    public long SmallBytes { get; private set; }

    public long MainBytes { get; private set; }

    public long TotalBytes => SmallBytes + MainBytes;

    public int Count => _live;

    /// <summary>A new byte capacity (a reload changed the cache size); the caller evicts down to it.</summary>
    public void SetCapacity(long capacityBytes)
    {
        _smallTarget = Math.Max(1, capacityBytes / 10);
        _mainTarget = capacityBytes - _smallTarget;
    }

    public void Add(CacheNode node)
    {
        _live++;
        if (_ghost.Contains(node.Key))
        {
            node.InMain = true;
            _main.Enqueue(node);
            MainBytes += node.Size;
        }
        else
        {
            node.InMain = false;
            _small.Enqueue(node);
            SmallBytes += node.Size;
        }
    }

    /// <summary>Unlinks a node removed explicitly; it stays in its FIFO as a tombstone skipped by eviction.</summary>
    public void Remove(CacheNode node)
    {
        if (node.Removed)
        {
            return;
        }

        node.Removed = true;
        _live--;
        _dead++;
        Account(node, -node.Size);

        // Tombstones cost a queue slot (8 B) each; rebuild once they outnumber live nodes (and 1,024, so small
        // caches do not rebuild constantly): amortised O(1) per removal.
        if (_dead > 1024 && _dead > _live)
        {
            Compact(_small);
            Compact(_main);
            _dead = 0;
        }
    }

    public void Resize(CacheNode node, long size)
    {
        if (!node.Removed)
        {
            Account(node, size - node.Size);
        }

        node.Size = size;
    }

    /// <summary>Picks and unlinks the next victim; null when nothing is stored.</summary>
    public CacheNode? EvictOne()
    {
        while (SmallBytes > 0 && (SmallBytes >= _smallTarget || MainBytes == 0))
        {
            var node = _small.Dequeue();
            if (SkipDead(node))
            {
                continue;
            }

            SmallBytes -= node.Size;
            if (node.Frequency < PromoteFrequency)
            {
                // The ghost remembers about as many keys as are cached, as in the paper (sized like main).
                _ghost.Add(node.Key, _live);
                return Unlink(node);
            }

            node.Frequency = 0;
            node.InMain = true;
            _main.Enqueue(node);
            MainBytes += node.Size;
            if (MainBytes > _mainTarget && EvictMain() is { } victim)
            {
                return victim; // main is capped at 90%, or promotions would squeeze small to nothing
            }
        }

        return EvictMain();
    }

    private CacheNode? EvictMain()
    {
        // Terminates: each pass over main decrements every frequency, and they start at most at 3.
        while (MainBytes > 0)
        {
            var node = _main.Dequeue();
            if (SkipDead(node))
            {
                continue;
            }

            var frequency = node.Frequency;
            if (frequency > 0)
            {
                node.Frequency = frequency - 1;
                _main.Enqueue(node);
                continue;
            }

            MainBytes -= node.Size;
            return Unlink(node);
        }

        return null;
    }

    private CacheNode Unlink(CacheNode node)
    {
        node.Removed = true;
        _live--;
        return node;
    }

    private bool SkipDead(CacheNode node)
    {
        if (!node.Removed)
        {
            return false;
        }

        _dead--;
        return true;
    }

    private void Account(CacheNode node, long delta)
    {
        if (node.InMain)
        {
            MainBytes += delta;
        }
        else
        {
            SmallBytes += delta;
        }
    }

    private static void Compact(Queue<CacheNode> queue)
    {
        var count = queue.Count;
        for (var i = 0; i < count; i++)
        {
            var node = queue.Dequeue();
            if (!node.Removed)
            {
                queue.Enqueue(node);
            }
        }
    }
}
