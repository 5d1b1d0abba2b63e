namespace Meridian.Topology.Validation;

/// <summary>"did you mean" hints for misspelt keys and names.</summary>
internal static class Suggestions
{
    /// <summary>The closest candidate within edit distance 2, or one the input is a prefix of (or vice versa).</summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var lower = input.ToLowerInvariant();
        foreach (var candidate in candidates)
        {
            var d = Levenshtein(lower, candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }
        if (best is not null && bestDistance <= 2)
        {
            return best;
        }
        // A prefix match catches truncated keys ("health" for "health_check") that are further than 2 edits away.
        return lower.Length >= 3
            ? candidates.FirstOrDefault(c => c.StartsWith(lower, StringComparison.OrdinalIgnoreCase)
                || lower.StartsWith(c, StringComparison.OrdinalIgnoreCase))
            : null;
    }

    public static string Hint(string input, IEnumerable<string> candidates) =>
        Closest(input, candidates) is { } s ? $"; did you mean '{s}'?" : "";

    public static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
