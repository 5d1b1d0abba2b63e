using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Meridian.Edge.Caching;

/// <summary>
/// A stored entry's headers as a hit sends them: several lines of one name grouped (as
/// <c>IHeaderDictionary.Append</c> would), and <c>Via</c> with this location's hop appended — built once per entry
/// instead of once per hit (the hit path sets them with one assignment per name).
/// </summary>
internal sealed class PreparedHitHeaders
{
    private PreparedHitHeaders(string viaHop, KeyValuePair<string, StringValues>[] headers)
    {
        ViaHop = viaHop;
        Headers = headers;
    }

    /// <summary>The location hop the <c>Via</c> value was built with.</summary>
    public string ViaHop { get; }

    public KeyValuePair<string, StringValues>[] Headers { get; }

    public static PreparedHitHeaders Build(CacheEntry entry, string viaHop)
    {
        var groups = new List<(string Name, List<string> Values)>();
        foreach (var (name, value) in entry.Headers)
        {
            var index = groups.FindIndex(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                groups.Add((name, [value]));
            }
            else
            {
                groups[index].Values.Add(value);
            }
        }

        var headers = new List<KeyValuePair<string, StringValues>>(groups.Count + 1);
        var via = viaHop;
        foreach (var (name, values) in groups)
        {
            if (string.Equals(name, HeaderNames.Via, StringComparison.OrdinalIgnoreCase))
            {
                // As the miss path's Via: the stored field lines joined with ",", then this hop.
                var stored = string.Join(",", values);
                via = stored.Length == 0 ? viaHop : $"{stored}, {viaHop}";
                continue;
            }

            headers.Add(new KeyValuePair<string, StringValues>(name, values.Count == 1 ? new StringValues(values[0]) : new StringValues([.. values])));
        }

        headers.Add(new KeyValuePair<string, StringValues>(HeaderNames.Via, via));
        return new PreparedHitHeaders(viaHop, [.. headers]);
    }
}
