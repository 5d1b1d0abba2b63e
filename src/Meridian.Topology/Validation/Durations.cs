using System.Globalization;
using System.Text.RegularExpressions;

namespace Meridian.Topology.Validation;

/// <summary>Durations: <c>250ms</c>, <c>1s</c>, <c>1.5s</c>, <c>2m</c>, <c>1h</c>, <c>1d</c> (24 h); a plain integer means seconds.</summary>
public static partial class Durations
{
    [GeneratedRegex(@"^([0-9]{1,9}(?:\.[0-9]{1,9})?)(ms|s|m|h|d)?$")]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var m = Pattern().Match(text.Trim());
        if (!m.Success)
        {
            return false;
        }
        var unit = m.Groups[2].Value;
        var number = decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if (unit.Length == 0 && number != decimal.Truncate(number))
        {
            return false;
        }
        var ms = unit switch
        {
            "ms" => number,
            "m" => number * 60_000m,
            "h" => number * 3_600_000m,
            "d" => number * 86_400_000m,
            _ => number * 1000m,
        };
        if (ms > (decimal)TimeSpan.MaxValue.TotalMilliseconds / 2)
        {
            return false;
        }
        value = TimeSpan.FromTicks((long)(ms * TimeSpan.TicksPerMillisecond));
        return true;
    }
}
