using System.Globalization;

namespace Meridian.Database;

/// <summary>WAL positions as byte offsets (PostgreSQL writes them as two hex halves, <c>16/B374D848</c>).</summary>
public static class Lsn
{
    public static long Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            throw new FormatException($"not an LSN: '{text}'");
        }
        var high = long.Parse(text.AsSpan(0, slash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var low = long.Parse(text.AsSpan(slash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (high << 32) | low;
    }

    public static string Format(long lsn) => $"{lsn >> 32:X}/{lsn & 0xFFFFFFFF:X}";
}
