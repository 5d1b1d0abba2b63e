namespace Meridian.Topology.Validation;

/// <summary>Domain name normalisation (lower case, absolute, no trailing dot) and syntax checks.</summary>
internal static class DomainName
{
    /// <summary>An absolute name: lower case, one trailing dot removed.</summary>
    public static string Absolute(string raw)
    {
        var name = raw.Trim().ToLowerInvariant();
        return name.EndsWith('.') && name.Length > 1 ? name[..^1] : name;
    }

    /// <summary>
    /// A record name relative to <paramref name="zone"/>: "@" is the apex; a trailing dot or a name already ending
    /// in the zone name is absolute; anything else gets the zone appended.
    /// </summary>
    public static string Relative(string raw, string zone)
    {
        var name = raw.Trim().ToLowerInvariant();
        if (name.Length == 0)
        {
            return name; // reported as empty by Error, not turned into ".zone"
        }
        if (name == "@")
        {
            return zone;
        }
        if (name.EndsWith('.'))
        {
            return name.TrimEnd('.');
        }
        return name == zone || name.EndsWith("." + zone, StringComparison.Ordinal) ? name : $"{name}.{zone}";
    }

    public static bool IsInZone(string name, string zone) =>
        name == zone || name.EndsWith("." + zone, StringComparison.Ordinal);

    /// <summary>Null when <paramref name="name"/> (normalised) is a valid owner name; wildcards allowed as the first label.</summary>
    public static string? Error(string name, bool allowWildcard = true)
    {
        if (name.Length == 0)
        {
            return "name must not be empty";
        }
        if (name.Length > 253)
        {
            return $"name is {name.Length} characters long; at most 253 are allowed";
        }
        var labels = name.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label.Length == 0)
            {
                return $"'{name}' has an empty label";
            }
            if (label.Length > 63)
            {
                return $"label '{label[..10]}...' is {label.Length} characters long; at most 63 are allowed";
            }
            if (label == "*" && i == 0 && allowWildcard)
            {
                continue;
            }
            foreach (var c in label)
            {
                if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_'))
                {
                    return $"'{name}' contains '{c}'; names may hold letters, digits, '-' and '_'"
                        + (allowWildcard ? " (and '*' as the whole first label)" : "");
                }
            }
        }
        return null;
    }

    /// <summary>A domain name inside a record value (CNAME, NS, MX, SRV targets); "." (the root) is allowed.</summary>
    public static string? ValueError(string raw)
    {
        var name = raw.Trim();
        return name == "." ? null : Error(Absolute(name), allowWildcard: false);
    }
}
