namespace Meridian.Topology.Validation;

/// <summary>
/// CloudFront cache-behaviour path patterns: <c>*</c> matches any run of characters (slashes included), <c>?</c>
/// exactly one; everything else matches itself, case-sensitively. A pattern starts with '/' unless it is exactly
/// <c>*</c> (the default behaviour), and is at most 255 characters from CloudFront's set.
/// </summary>
public static class PathPatterns
{
    public const string Default = "*";
    public const int MaxLength = 255;

    /// <summary>CloudFront's characters for path patterns besides letters and digits (plus '?' and '%').</summary>
    private const string Punctuation = "_-.*$/~\"'@:+&?%=";

    /// <summary>Null when <paramref name="pattern"/> is valid; otherwise why not.</summary>
    public static string? Error(string pattern)
    {
        if (pattern == Default)
        {
            return null;
        }
        if (pattern.Length == 0)
        {
            return "a path pattern cannot be empty; use \"*\" for the default behavior";
        }
        if (pattern.Length > MaxLength)
        {
            return $"a path pattern is at most {MaxLength} characters, found {pattern.Length}";
        }
        if (!pattern.StartsWith('/'))
        {
            return $"a path pattern starts with '/' (or is exactly \"*\"), found '{pattern}'; did you mean '/{pattern.TrimStart('/')}'?";
        }
        if (pattern.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return $"spaces and control characters are not allowed in a path pattern, found '{pattern}'";
        }
        if (pattern.FirstOrDefault(c => !char.IsAsciiLetterOrDigit(c) && !Punctuation.Contains(c)) is var bad and not '\0')
        {
            return $"'{bad}' is not allowed in a path pattern (letters, digits and {Punctuation})";
        }
        return null;
    }

    /// <summary>Whether <paramref name="path"/> matches <paramref name="pattern"/>.</summary>
    public static bool Matches(string pattern, string path)
    {
        // Iterative glob match with single backtrack point (linear-ish, no recursion).
        int p = 0, s = 0, star = -1, mark = 0;
        while (s < path.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == path[s]))
            {
                p++;
                s++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = s;
            }
            else if (star >= 0)
            {
                p = star + 1;
                s = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }

    /// <summary>
    /// Whether every path matching <paramref name="inner"/> also matches <paramref name="outer"/> (so a behaviour
    /// with <paramref name="inner"/> after one with <paramref name="outer"/> is never used). Conservative: true
    /// means certainly covered.
    /// </summary>
    public static bool Covers(string outer, string inner)
    {
        var a = Normalize(outer);
        var b = Normalize(inner);
        // covered[i, j]: a[i..] matches every string of b[j..]. a's '*' takes any run of b's tokens; a's '?' one
        // literal or '?' of b; a literal only the same literal.
        var memo = new bool?[a.Length + 1, b.Length + 1];
        return Cover(a, b, 0, 0, memo);
    }

    private static bool Cover(string a, string b, int i, int j, bool?[,] memo)
    {
        if (memo[i, j] is { } known)
        {
            return known;
        }
        bool result;
        if (i == a.Length)
        {
            result = j == b.Length;
        }
        else if (a[i] == '*')
        {
            // Skip the star, or let it take b's next token.
            result = Cover(a, b, i + 1, j, memo) || (j < b.Length && Cover(a, b, i, j + 1, memo));
        }
        else if (j == b.Length || b[j] == '*')
        {
            result = false;
        }
        else if (a[i] == '?' || a[i] == b[j])
        {
            result = (a[i] == '?' || b[j] != '?') && Cover(a, b, i + 1, j + 1, memo);
        }
        else
        {
            result = false;
        }
        memo[i, j] = result;
        return result;
    }

    /// <summary>Within each run of wildcards: '?'s first, then at most one '*' ("*?*" and "?*" match the same).</summary>
    private static string Normalize(string pattern)
    {
        var sb = new System.Text.StringBuilder(pattern.Length);
        for (var k = 0; k < pattern.Length;)
        {
            if (pattern[k] is not ('*' or '?'))
            {
                sb.Append(pattern[k++]);
                continue;
            }
            int questions = 0, stars = 0;
            for (; k < pattern.Length && pattern[k] is '*' or '?'; k++)
            {
                if (pattern[k] == '?')
                {
                    questions++;
                }
                else
                {
                    stars++;
                }
            }
            sb.Append('?', questions);
            if (stars > 0)
            {
                sb.Append('*');
            }
        }
        return sb.ToString();
    }
}
