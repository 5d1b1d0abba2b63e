using System.Globalization;
using Meridian.Storage.Errors;

namespace Meridian.Storage.Operations;

/// <summary>A single "bytes=" range resolved against the object size (S3 serves one range; a multi-range header gets the whole object).</summary>
internal readonly record struct ByteRange(long Start, long Length)
{
    /// <summary>Null when there is no usable Range header (serve everything); InvalidRange (416) when unsatisfiable.</summary>
    public static ByteRange? Parse(string? header, long size)
    {
        if (header is null || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var spec = header[6..].Trim();
        if (spec.Contains(','))
        {
            return null;
        }
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return null;
        }
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            // Suffix: the last N bytes.
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix))
            {
                return null;
            }
            if (suffix == 0 || size == 0)
            {
                throw S3Errors.InvalidRange();
            }
            var n = Math.Min(suffix, size);
            return new ByteRange(size - n, n);
        }
        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }
        var end = size - 1;
        if (last.Length > 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start)
            {
                return null;
            }
        }
        if (start >= size)
        {
            throw S3Errors.InvalidRange();
        }
        end = Math.Min(end, size - 1);
        return new ByteRange(start, end - start + 1);
    }
}
