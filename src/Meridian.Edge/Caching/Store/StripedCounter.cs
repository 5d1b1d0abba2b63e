namespace Meridian.Edge.Caching;

/// <summary>
/// A counter incremented on every hit by every core: one interlocked add per core-local cell instead of one
/// shared cache line, which under contention costs ~50-100 ns per increment as the line moves between cores
/// (the whole hit path is ~15 ns, 3 ns of it this counter, on one core). Reads sum the cells: exact once writers are quiet.
/// </summary>
internal sealed class StripedCounter
{
    // 16 longs = 128 B per cell: two 64 B cache lines, so the adjacent-line prefetcher does not pair cells either.
    private const int Stride = 16;

    private readonly long[] _cells;
    private readonly int _mask;

    public StripedCounter()
    {
        var cells = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, Environment.ProcessorCount));
        _mask = cells - 1;
        _cells = new long[cells * Stride];
    }

    public void Increment() => Interlocked.Increment(ref _cells[(Thread.GetCurrentProcessorId() & _mask) * Stride]);

    public long Read()
    {
        long sum = 0;
        for (var i = 0; i < _cells.Length; i += Stride)
        {
            sum += Volatile.Read(ref _cells[i]);
        }

        return sum;
    }
}
