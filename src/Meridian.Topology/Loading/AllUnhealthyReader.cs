using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary><c>when_all_unhealthy: fail_open | fail_closed | { fallback: [values] }</c></summary>
internal static class AllUnhealthyReader
{
    /// <summary>Fallback values are checked against <paramref name="type"/> when known (record level).</summary>
    public static AllUnhealthyBehavior? Read(LoadContext ctx, YNode node, string path, RecordType? type)
    {
        switch (node)
        {
            case YScalar { Value: "fail_open" }:
                return AllUnhealthyBehavior.FailOpen;
            case YScalar { Value: "fail_closed" }:
                return AllUnhealthyBehavior.FailClosed;
            case YMapping m:
                var map = new MapReader(ctx, m, path, ["fallback"]);
                var values = new List<string>();
                var items = map.Required("fallback") is not null ? map.List("fallback") : [];
                for (var i = 0; i < items.Count; i++)
                {
                    var itemPath = LoadContext.Index(map.PathOf("fallback"), i);
                    if (YamlReader.AsString(ctx, items[i], itemPath) is not { } value)
                    {
                        continue;
                    }
                    if (type is { } t && RecordValues.Error(t, value) is { } error)
                    {
                        ctx.Error(items[i], itemPath, error);
                    }
                    values.Add(value);
                }
                if (map.Get("fallback") is { } f && items.Count == 0)
                {
                    ctx.Error(f, map.PathOf("fallback"), "fallback needs at least one value");
                }
                return new AllUnhealthyBehavior(AllUnhealthyKind.Fallback, values);
            default:
                var hint = node is YScalar s ? Suggestions.Hint(s.Value, ["fail_open", "fail_closed"]) : "";
                ctx.Error(node, path, $"expected fail_open, fail_closed or {{ fallback: [values] }}, found {node.Describe}{hint}");
                return null;
        }
    }
}
