using System.Security.Cryptography;

namespace Meridian.Balancer;

/// <summary>
/// Request ids for requests that come without one: 32 lowercase hex digits, like <c>Guid.NewGuid().ToString("N")</c>
/// was, but a random per-process prefix (64 bits) and a counter (64 bits) instead of 122 fresh random bits per request,
/// so no random-number call per request (505 ns → 61 ns per id, micro-benchmark; docs/benchmarks.md, HTTP 2026-11-26
/// 06:31); unique within the process and, by the prefix, across processes.
/// </summary>
internal static class RequestIds
{
    private static readonly ulong Prefix = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private static long s_counter;

    public static string Next()
    {
        var n = (ulong)Interlocked.Increment(ref s_counter);
        return string.Create(32, n, static (span, counter) =>
        {
            Prefix.TryFormat(span[..16], out _, "x16");
            counter.TryFormat(span[16..], out _, "x16");
        });
    }
}
