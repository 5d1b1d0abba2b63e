using System.Diagnostics;

namespace Meridian.Cli.Tests.Support;

/// <summary>Bounded polling: waits for a condition with a deadline instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Polls until <paramref name="condition"/> holds; returns how long it took, fails the test at the deadline.</summary>
    public static async Task<TimeSpan> Until(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                last = ex; // e.g. a query timing out while a listener restarts: keep polling until the deadline
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"not within {timeout.TotalSeconds:0.#} s: {what}" + (last is null ? "" : $" (last error: {last.Message})"));
            }

            await Task.Delay(PollInterval);
        }
    }

    public static Task<TimeSpan> Until(Func<bool> condition, TimeSpan timeout, string what) =>
        Until(() => Task.FromResult(condition()), timeout, what);
}
