using System.Globalization;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>Typed scalar reading: each method returns null (and reports an error at the node) when the value is wrong.</summary>
internal static class YamlReader
{
    public static YMapping? AsMapping(LoadContext ctx, YNode node, string path)
    {
        if (node is YMapping map)
        {
            return map;
        }
        ctx.Error(node, path, $"expected a mapping, found {node.Describe}");
        return null;
    }

    /// <summary>A list; a single scalar is accepted as a list of one (so <c>values: 192.0.2.1</c> works).</summary>
    public static IReadOnlyList<YNode> AsList(LoadContext ctx, YNode node, string path)
    {
        switch (node)
        {
            case YSequence seq:
                return seq.Items;
            case YScalar s when s.IsNull:
                return [];
            case YScalar s:
                return [s];
            default:
                ctx.Error(node, path, $"expected a list, found {node.Describe}");
                return [];
        }
    }

    public static string? AsString(LoadContext ctx, YNode node, string path)
    {
        if (node is YScalar { IsNull: false } s)
        {
            return s.Value;
        }
        ctx.Error(node, path, $"expected a value, found {node.Describe}");
        return null;
    }

    public static long? AsLong(LoadContext ctx, YNode node, string path, long min, long max)
    {
        if (AsString(ctx, node, path) is not { } text)
        {
            return null;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            ctx.Error(node, path, $"expected an integer, found '{text}'");
            return null;
        }
        if (value < min || value > max)
        {
            ctx.Error(node, path, $"must be between {min} and {max}, found {value}");
            return null;
        }
        return value;
    }

    public static int? AsInt(LoadContext ctx, YNode node, string path, int min, int max) =>
        (int?)AsLong(ctx, node, path, min, max);

    public static double? AsDouble(LoadContext ctx, YNode node, string path, double min, double max)
    {
        if (AsString(ctx, node, path) is not { } text)
        {
            return null;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            ctx.Error(node, path, $"expected a number, found '{text}'");
            return null;
        }
        if (value < min || value > max)
        {
            ctx.Error(node, path, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, found {text}");
            return null;
        }
        return value;
    }

    public static bool? AsBool(LoadContext ctx, YNode node, string path)
    {
        if (AsString(ctx, node, path) is not { } text)
        {
            return null;
        }
        if (bool.TryParse(text, out var value))
        {
            return value;
        }
        ctx.Error(node, path, $"expected true or false, found '{text}'");
        return null;
    }

    /// <summary>A duration of at least <paramref name="min"/> (exclusive when <paramref name="minExclusive"/>).</summary>
    public static TimeSpan? AsDuration(LoadContext ctx, YNode node, string path, TimeSpan min, bool minExclusive)
    {
        if (AsString(ctx, node, path) is not { } text)
        {
            return null;
        }
        if (!Durations.TryParse(text, out var value))
        {
            ctx.Error(node, path, $"expected a duration like 250ms, 1s, 1.5s, 2m, 1h or 1d, found '{text}'");
            return null;
        }
        if (minExclusive ? value <= min : value < min)
        {
            ctx.Error(node, path, minExclusive ? $"must be greater than {Format(min)}" : $"must be at least {Format(min)}, found {text}");
            return null;
        }
        return value;
    }

    /// <summary>A byte size (<see cref="ByteSizes"/>) of at least <paramref name="min"/> bytes.</summary>
    public static long? AsByteSize(LoadContext ctx, YNode node, string path, long min)
    {
        if (AsString(ctx, node, path) is not { } text)
        {
            return null;
        }
        if (!ByteSizes.TryParse(text, out var value))
        {
            ctx.Error(node, path, $"expected a size like 512KB, 256MB or 2GB (1KB = 1024 bytes), found '{text}'");
            return null;
        }
        if (value < min)
        {
            ctx.Error(node, path, $"must be at least {ByteSizes.Format(min)}, found {text}");
            return null;
        }
        return value;
    }

    public static T? AsEnum<T>(LoadContext ctx, YNode node, string path, IReadOnlyDictionary<string, T> names)
        where T : struct
    {
        if (AsString(ctx, node, path) is not { } text)
        {
            return null;
        }
        if (names.TryGetValue(text, out var value))
        {
            return value;
        }
        ctx.Error(node, path, $"unknown value '{text}'; expected one of {string.Join(", ", names.Keys)}{Suggestions.Hint(text, names.Keys)}");
        return null;
    }

    private static string Format(TimeSpan t) => t == TimeSpan.Zero ? "0" : t.TotalMilliseconds < 1000 ? $"{t.TotalMilliseconds}ms" : $"{t.TotalSeconds}s";
}
