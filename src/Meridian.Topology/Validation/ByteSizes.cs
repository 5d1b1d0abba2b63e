using System.Globalization;
using System.Text.RegularExpressions;

namespace Meridian.Topology.Validation;

/// <summary>
/// Byte sizes: <c>512B</c>, <c>64KB</c>, <c>256MB</c>, <c>1.5GB</c>, <c>1TB</c>; units are binary (1KB = 1024 bytes,
/// as in nginx), <c>KiB</c>/<c>MiB</c>/<c>GiB</c>/<c>TiB</c> are accepted as the same; units ignore case; a plain
/// integer means bytes.
/// </summary>
public static partial class ByteSizes
{
    public const long KB = 1024;
    public const long MB = 1024 * KB;
    public const long GB = 1024 * MB;
    public const long TB = 1024 * GB;

    [GeneratedRegex(@"^([0-9]{1,15}(?:\.[0-9]{1,9})?)\s*(B|KB|KiB|K|MB|MiB|M|GB|GiB|G|TB|TiB|T)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var m = Pattern().Match(text.Trim());
        if (!m.Success)
        {
            return false;
        }
        var number = decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups[2].Value.ToUpperInvariant();
        var multiplier = unit.Length == 0 || unit == "B" ? 1 : unit[0] switch
        {
            'K' => KB,
            'M' => MB,
            'G' => GB,
            _ => TB,
        };
        var value = number * multiplier;
        if (value != decimal.Truncate(value) || value > long.MaxValue / 2)
        {
            return false; // fractional bytes ("1.5B") or absurdly large
        }
        bytes = (long)value;
        return true;
    }

    /// <summary>The largest exact unit: 268435456 → "256MB", 1536 → "1.5KB" (2 decimals at most), 100 → "100B".</summary>
    public static string Format(long bytes)
    {
        foreach (var (unit, size) in new[] { ("TB", TB), ("GB", GB), ("MB", MB), ("KB", KB) })
        {
            if (bytes >= size)
            {
                var v = (decimal)bytes / size;
                return v.ToString("0.##", CultureInfo.InvariantCulture) + unit;
            }
        }
        return $"{bytes}B";
    }
}
