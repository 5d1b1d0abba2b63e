using System.Globalization;

namespace Meridian.Edge.Caching;

/// <summary>
/// <c>Age</c> values for the hit path: the strings for the first hour are kept once formatted, so a hit does not
/// allocate one per response (an hour covers most entries' lives; older ones are formatted each time).
/// </summary>
internal static class AgeHeaderValues
{
    private static readonly string?[] Cached = new string?[3600];

    public static string Format(TimeSpan age)
    {
        var seconds = (long)Math.Max(0, Math.Floor(age.TotalSeconds));
        if (seconds >= Cached.Length)
        {
            return seconds.ToString(CultureInfo.InvariantCulture);
        }

        // A race formats the same string twice; either copy is right.
        return Cached[seconds] ??= seconds.ToString(CultureInfo.InvariantCulture);
    }
}
