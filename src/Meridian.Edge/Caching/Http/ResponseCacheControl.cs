using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Meridian.Edge.Caching;

/// <summary>
/// The response Cache-Control directives the edge acts on (RFC 9111 §5.2.2, RFC 5861), parsed tolerantly from all
/// Cache-Control field lines. Directive names are case-insensitive; the first occurrence of a directive wins; an invalid
/// delta-seconds value counts as 0 (RFC 9111 §4.2.1: an invalid freshness value means the response is stale); values
/// above 2^31 are capped at 2^31 seconds (RFC 9111 §1.2.2). Qualified forms (<c>private="Set-Cookie"</c>,
/// <c>no-cache="X"</c>) are treated as the unqualified directive (the conservative reading).
/// </summary>
public sealed record ResponseCacheControl
{
    public static readonly ResponseCacheControl Empty = new();

    public TimeSpan? MaxAge { get; init; }
    public TimeSpan? SharedMaxAge { get; init; }
    public bool NoCache { get; init; }
    public bool NoStore { get; init; }
    public bool Private { get; init; }
    public bool Public { get; init; }
    public bool MustRevalidate { get; init; }
    public bool ProxyRevalidate { get; init; }
    public bool NoTransform { get; init; }
    public TimeSpan? StaleWhileRevalidate { get; init; }
    public TimeSpan? StaleIfError { get; init; }

    private const long MaxDeltaSeconds = 2147483648; // 2^31, RFC 9111 §1.2.2

    // Origins send a handful of distinct Cache-Control lines, and each response parsed its line twice (TTL rules and
    // compression), allocating a set, an iterator and strings every time: about 1 KB of the edge's 6.7 KB per proxied
    // request (allocation sampling under bench/http, 2026-11-26). Results are immutable records, so single lines up to
    // 256 characters are memoised; at most 512 of them (cleared when full: an origin cannot make it grow).
    private const int MemoisedLineLength = 256;
    private const int MemoisedLines = 512;
    private static readonly Meridian.Forwarding.SelfClearingCache<string, ResponseCacheControl> s_parsedLines = new(MemoisedLines, StringComparer.Ordinal);

    public static ResponseCacheControl Parse(StringValues values)
    {
        if (values.Count != 1 || values[0] is not { Length: > 0 and <= MemoisedLineLength } line)
        {
            return ParseLines(values);
        }

        if (s_parsedLines.TryGet(line, out var known))
        {
            return known;
        }

        var parsed = ParseLines(values);
        s_parsedLines.Add(line, parsed);
        return parsed;
    }

    private static ResponseCacheControl ParseLines(StringValues values)
    {
        var result = Empty;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in values)
        {
            if (string.IsNullOrEmpty(line))
            {
                continue;
            }

            foreach (var (name, value) in Directives(line))
            {
                if (!seen.Add(name))
                {
                    continue;
                }

                result = name.ToLowerInvariant() switch
                {
                    "max-age" => result with { MaxAge = Delta(value) },
                    "s-maxage" => result with { SharedMaxAge = Delta(value) },
                    "no-cache" => result with { NoCache = true },
                    "no-store" => result with { NoStore = true },
                    "private" => result with { Private = true },
                    "public" => result with { Public = true },
                    "must-revalidate" => result with { MustRevalidate = true },
                    "proxy-revalidate" => result with { ProxyRevalidate = true },
                    "no-transform" => result with { NoTransform = true },
                    "stale-while-revalidate" => result with { StaleWhileRevalidate = Delta(value) },
                    "stale-if-error" => result with { StaleIfError = Delta(value) },
                    _ => result,
                };
            }
        }

        return result;
    }

    private static TimeSpan Delta(string? value)
    {
        if (value is null || value.Length == 0 || !value.All(char.IsAsciiDigit))
        {
            return TimeSpan.Zero;
        }

        var seconds = value.Length > 10 ? MaxDeltaSeconds : Math.Min(long.Parse(value, System.Globalization.CultureInfo.InvariantCulture), MaxDeltaSeconds);
        return TimeSpan.FromSeconds(seconds);
    }

    // Splits "a, b=1, c=\"x, y\"" into directives, honouring quoted strings (commas inside quotes do not split).
    private static IEnumerable<(string Name, string? Value)> Directives(string line)
    {
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && (line[i] == ',' || char.IsWhiteSpace(line[i])))
            {
                i++;
            }

            var nameStart = i;
            while (i < line.Length && line[i] != '=' && line[i] != ',')
            {
                i++;
            }

            var name = line[nameStart..i].Trim();
            string? value = null;
            if (i < line.Length && line[i] == '=')
            {
                i++;
                while (i < line.Length && line[i] == ' ')
                {
                    i++;
                }

                if (i < line.Length && line[i] == '"')
                {
                    var end = i + 1;
                    while (end < line.Length && line[end] != '"')
                    {
                        end += line[end] == '\\' ? 2 : 1;
                    }

                    value = line[(i + 1)..Math.Min(end, line.Length)];
                    i = Math.Min(end + 1, line.Length);
                    while (i < line.Length && line[i] != ',')
                    {
                        i++;
                    }
                }
                else
                {
                    var valueStart = i;
                    while (i < line.Length && line[i] != ',')
                    {
                        i++;
                    }

                    value = line[valueStart..i].Trim();
                }
            }

            if (name.Length > 0)
            {
                yield return (name, value);
            }
        }
    }
}

/// <summary>HTTP-date parsing (IMF-fixdate, RFC 850, asctime: RFC 9110 §5.6.7) and formatting.</summary>
public static class HttpDates
{
    public static DateTimeOffset? Parse(StringValues value)
    {
        var text = value.ToString();
        return text.Length > 0 && HeaderUtilities.TryParseDate(text, out var date) ? date : null;
    }

    public static string Format(DateTimeOffset value) => HeaderUtilities.FormatDate(value);
}
