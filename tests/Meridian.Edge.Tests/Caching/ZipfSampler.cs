namespace Meridian.Edge.Tests.Caching;

/// <summary>Ranks 0..n-1 with P(rank k) ∝ 1/(k+1)^s, from a seeded <see cref="Random"/> (inverse CDF, binary search).</summary>
internal sealed class ZipfSampler
{
    private readonly double[] _cdf;
    private readonly Random _random;

    public ZipfSampler(int n, double s, int seed)
    {
        _cdf = new double[n];
        var sum = 0.0;
        for (var k = 0; k < n; k++)
        {
            sum += 1.0 / Math.Pow(k + 1, s);
            _cdf[k] = sum;
        }

        for (var k = 0; k < n; k++)
        {
            _cdf[k] /= sum;
        }

        _random = new Random(seed);
    }

    public int Next()
    {
        var index = Array.BinarySearch(_cdf, _random.NextDouble());
        return index >= 0 ? index : Math.Min(~index, _cdf.Length - 1);
    }
}
