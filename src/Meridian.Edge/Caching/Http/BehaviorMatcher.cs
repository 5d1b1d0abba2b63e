using Meridian.Topology.Model;

namespace Meridian.Edge.Caching;

/// <summary>
/// Picks the cache behaviour for a request path, as CloudFront does: behaviours are evaluated in order and the first
/// whose path pattern matches wins; the default behaviour ("*") is last.
/// </summary>
/// <remarks>
/// CloudFront path patterns ("Path pattern" in the distribution settings):
/// <list type="bullet">
/// <item><c>*</c> matches 0 or more characters, including <c>/</c>; <c>?</c> matches exactly one character;</item>
/// <item>matching is case-sensitive;</item>
/// <item>the query string is not part of the path (the caller passes the path only);</item>
/// <item>the leading <c>/</c> is optional in a pattern: "images/*.jpg" and "/images/*.jpg" are the same pattern.</item>
/// </list>
/// Patterns are compiled once (normalised, with their literal prefix for a fast reject); matching is an allocation-free
/// greedy wildcard match with single-star backtracking (linear in practice, no Regex).
/// </remarks>
public sealed class BehaviorMatcher
{
    private readonly CompiledPattern[] _patterns;
    private readonly CacheBehaviorConfig[] _behaviors;

    /// <param name="behaviors">Ordered behaviours (the default "*" last).</param>
    /// <param name="fallback">
    /// Returned when no behaviour matches (a list without a trailing "*"); null leaves <see cref="Match"/> returning null.
    /// </param>
    public BehaviorMatcher(IReadOnlyList<CacheBehaviorConfig> behaviors, CacheBehaviorConfig? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(behaviors);
        _behaviors = [.. behaviors];
        _patterns = [.. behaviors.Select(b => new CompiledPattern(b.PathPattern))];
        Fallback = fallback;
    }

    /// <summary>The behaviour used when no pattern matches.</summary>
    public CacheBehaviorConfig? Fallback { get; }

    /// <summary>
    /// A matcher for a distribution: its behaviours, and when the list is empty or does not end with "*", a default
    /// behaviour ("*" to <see cref="DistributionConfig.Target"/> with CloudFront's defaults), so every path matches.
    /// </summary>
    public static BehaviorMatcher For(DistributionConfig distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var fallback = new CacheBehaviorConfig { PathPattern = "*", Target = distribution.Target };
        return new BehaviorMatcher(distribution.Behaviors, fallback);
    }

    /// <summary>The first behaviour whose pattern matches <paramref name="path"/> (no query string), else the fallback.</summary>
    public CacheBehaviorConfig? Match(string path)
    {
        var index = MatchIndex(path);
        return index >= 0 ? _behaviors[index] : Fallback;
    }

    /// <summary>The index of the first matching behaviour, or -1.</summary>
    public int MatchIndex(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        for (var i = 0; i < _patterns.Length; i++)
        {
            if (_patterns[i].IsMatch(path))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether a single CloudFront path pattern matches a path (compiles the pattern; for tests and tools).</summary>
    public static bool IsMatch(string pattern, string path) => new CompiledPattern(pattern).IsMatch(path);

    private sealed class CompiledPattern
    {
        private readonly string _pattern;
        private readonly string _literalPrefix;
        private readonly bool _matchAll;

        public CompiledPattern(string pattern)
        {
            ArgumentException.ThrowIfNullOrEmpty(pattern);
            // CloudFront: "The path pattern ... The leading / is optional" — normalise to a leading '/' unless the pattern
            // starts with a wildcard ('*' matches the '/' anyway; '?' would consume it, so it gets the '/' too).
            _pattern = pattern[0] is '/' or '*' ? pattern : "/" + pattern;
            _matchAll = _pattern.All(c => c == '*');
            var firstWildcard = _pattern.AsSpan().IndexOfAny('*', '?');
            _literalPrefix = firstWildcard < 0 ? _pattern : _pattern[..firstWildcard];
        }

        public bool IsMatch(string path)
        {
            if (_matchAll)
            {
                return true;
            }

            if (!path.StartsWith(_literalPrefix, StringComparison.Ordinal))
            {
                return false;
            }

            return Wildcard(_pattern.AsSpan(_literalPrefix.Length), path.AsSpan(_literalPrefix.Length));
        }

        // Classic wildcard match: on a mismatch, backtrack to the last '*' and let it swallow one more character.
        private static bool Wildcard(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
        {
            int p = 0, t = 0, star = -1, starText = 0;
            while (t < text.Length)
            {
                if (p < pattern.Length && (pattern[p] == '?' || (pattern[p] != '*' && pattern[p] == text[t])))
                {
                    p++;
                    t++;
                }
                else if (p < pattern.Length && pattern[p] == '*')
                {
                    star = p++;
                    starText = t;
                }
                else if (star >= 0)
                {
                    p = star + 1;
                    t = ++starText;
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
    }
}
