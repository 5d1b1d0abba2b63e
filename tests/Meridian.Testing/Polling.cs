using System.Diagnostics;

namespace Meridian.Testing;

/// <summary>Bounded polling for integration tests, never a fixed sleep: a condition re-checked every 100 ms until a timeout.</summary>
public static class Polling
{
    /// <summary>True as soon as <paramref name="condition"/> holds; false when it still does not after <paramref name="timeout"/>.</summary>
    public static async Task<bool> UntilTrueAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < timeout)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }
}
