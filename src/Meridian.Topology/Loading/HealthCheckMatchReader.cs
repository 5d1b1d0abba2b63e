using System.Globalization;
using Meridian.Topology.Model;

namespace Meridian.Topology.Loading;

/// <summary><c>match: { status: [200, 200-399], body_contains: "ok" }</c></summary>
internal static class HealthCheckMatchReader
{
    public static readonly string[] Keys = ["status", "body_contains"];

    /// <summary>Route53 searches for at most 255 characters.</summary>
    private const int MaxBodyContains = 255;

    public static HealthCheckConfig Read(MapReader map, HealthCheckConfig check)
    {
        var ranges = new List<StatusRange>();
        var items = map.List("status");
        for (var i = 0; i < items.Count; i++)
        {
            var path = LoadContext.Index(map.PathOf("status"), i);
            if (YamlReader.AsString(map.Context, items[i], path) is not { } text)
            {
                continue;
            }
            if (ParseRange(text) is { } range)
            {
                ranges.Add(range);
            }
            else
            {
                map.Context.Error(items[i], path, $"expected a status code (100-599) or a range like 200-399, found '{text}'");
            }
        }
        if (map.Get("status") is { } statusNode && items.Count == 0)
        {
            map.Context.Error(statusNode, map.PathOf("status"), "at least one status code is required");
        }
        var body = map.String("body_contains");
        if (body is not null && (body.Length == 0 || body.Length > MaxBodyContains))
        {
            map.Context.Error(map.Get("body_contains")!, map.PathOf("body_contains"),
                $"body_contains must be 1 to {MaxBodyContains} characters, found {body.Length}");
        }
        return check with
        {
            ExpectedStatus = ranges.Count > 0 ? ranges : check.ExpectedStatus,
            BodyContains = body,
        };
    }

    private static StatusRange? ParseRange(string text)
    {
        var parts = text.Split('-', 2);
        if (!TryStatus(parts[0], out var from))
        {
            return null;
        }
        if (parts.Length == 1)
        {
            return new StatusRange(from, from);
        }
        return TryStatus(parts[1], out var to) && to >= from ? new StatusRange(from, to) : null;
    }

    private static bool TryStatus(string text, out int status) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out status) && status is >= 100 and <= 599;
}
