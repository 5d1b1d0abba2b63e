using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>
/// A mapping with a fixed set of keys. Construction reports unknown keys (with a suggestion), non-scalar keys and
/// duplicates; the typed getters return null when a key is absent or its value is wrong (the error is reported).
/// </summary>
internal sealed class MapReader
{
    private readonly Dictionary<string, YNode> _values = new(StringComparer.Ordinal);

    public MapReader(LoadContext ctx, YMapping map, string path, IReadOnlyCollection<string> known)
    {
        Context = ctx;
        Node = map;
        Path = path;
        var firstSeen = new Dictionary<string, YNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Entries)
        {
            if (keyNode is not YScalar { IsNull: false } key)
            {
                ctx.Error(keyNode, path, $"keys must be plain names, found {keyNode.Describe}");
                continue;
            }
            if (!known.Contains(key.Value))
            {
                ctx.Error(key, LoadContext.Join(path, key.Value),
                    $"unknown key '{key.Value}'{Suggestions.Hint(key.Value, known)}");
                continue;
            }
            if (firstSeen.TryGetValue(key.Value, out var first))
            {
                ctx.Error(key, LoadContext.Join(path, key.Value), $"duplicate key '{key.Value}' (first at {LoadContext.Where(first, key)})");
                continue;
            }
            firstSeen[key.Value] = key;
            _values[key.Value] = value;
        }
    }

    public LoadContext Context { get; }
    public YMapping Node { get; }
    public string Path { get; }

    public YNode? this[string key] => _values.TryGetValue(key, out var v) ? v : null;

    /// <summary>The value, or null when absent or explicitly null (<c>key: ~</c>) so it counts as "not set".</summary>
    public YNode? Get(string key) => this[key] is { } v && v is not YScalar { IsNull: true } ? v : null;

    public string PathOf(string key) => LoadContext.Join(Path, key);

    public YNode? Required(string key)
    {
        if (Get(key) is { } node)
        {
            return node;
        }
        Context.Error(this[key] ?? Node, PathOf(key), $"'{key}' is required");
        return null;
    }

    public string? String(string key) => Get(key) is { } n ? YamlReader.AsString(Context, n, PathOf(key)) : null;

    public string? RequiredString(string key) => Required(key) is { } n ? YamlReader.AsString(Context, n, PathOf(key)) : null;

    public int? Int(string key, int min, int max) => Get(key) is { } n ? YamlReader.AsInt(Context, n, PathOf(key), min, max) : null;

    public long? Long(string key, long min, long max) => Get(key) is { } n ? YamlReader.AsLong(Context, n, PathOf(key), min, max) : null;

    public double? Double(string key, double min, double max) =>
        Get(key) is { } n ? YamlReader.AsDouble(Context, n, PathOf(key), min, max) : null;

    public bool? Bool(string key) => Get(key) is { } n ? YamlReader.AsBool(Context, n, PathOf(key)) : null;

    public TimeSpan? Duration(string key, TimeSpan min, bool minExclusive) =>
        Get(key) is { } n ? YamlReader.AsDuration(Context, n, PathOf(key), min, minExclusive) : null;

    public long? ByteSize(string key, long min) => Get(key) is { } n ? YamlReader.AsByteSize(Context, n, PathOf(key), min) : null;

    public T? Enum<T>(string key, IReadOnlyDictionary<string, T> names) where T : struct =>
        Get(key) is { } n ? YamlReader.AsEnum(Context, n, PathOf(key), names) : null;

    public IReadOnlyList<YNode> List(string key) => Get(key) is { } n ? YamlReader.AsList(Context, n, PathOf(key)) : [];

    public MapReader? Map(string key, IReadOnlyCollection<string> known) =>
        Get(key) is { } n && YamlReader.AsMapping(Context, n, PathOf(key)) is { } m ? new MapReader(Context, m, PathOf(key), known) : null;
}
