using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>Checks calculated checks' children: each must exist, and the parent/child graph must have no cycle.</summary>
internal sealed class HealthCheckGraph
{
    /// <summary>Check name to its child references (name, node, field path).</summary>
    private readonly Dictionary<string, List<(string Child, YNode At, string Path)>> _nodes = new(StringComparer.Ordinal);

    public void Add(NamedEntry entry, MapReader map, HealthCheckConfig check)
    {
        var children = new List<(string Child, YNode At, string Path)>();
        _nodes[entry.Name] = children;
        if (check.Type != HealthCheckType.Calculated)
        {
            return; // children on other types are already reported as not applicable
        }
        var items = map.Get("children") is YSequence seq ? seq.Items : [];
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is YScalar { IsNull: false } s)
            {
                children.Add((s.Value, s, LoadContext.Index(map.PathOf("children"), i)));
            }
        }
        if (map.Get("children") is YScalar { IsNull: false } single)
        {
            children.Add((single.Value, single, map.PathOf("children")));
        }
    }

    public void Validate(LoadContext ctx)
    {
        foreach (var children in _nodes.Values)
        {
            foreach (var (child, at, path) in children)
            {
                if (!_nodes.ContainsKey(child))
                {
                    ctx.Error(at, path, $"unknown health check '{child}'{Suggestions.Hint(child, _nodes.Keys)}");
                }
            }
        }
        ReportCycles(ctx);
    }

    /// <summary>Depth-first search; each cycle is reported once, at the child reference that closes it.</summary>
    private void ReportCycles(LoadContext ctx)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on stack, 2 = done
        var stack = new List<string>();
        foreach (var start in _nodes.Keys)
        {
            Visit(start);
        }

        void Visit(string name)
        {
            state[name] = 1;
            stack.Add(name);
            foreach (var (child, at, path) in _nodes[name])
            {
                if (!_nodes.ContainsKey(child))
                {
                    continue;
                }
                var s = state.GetValueOrDefault(child);
                if (s == 1)
                {
                    var cycle = stack.Skip(stack.IndexOf(child)).Append(child);
                    ctx.Error(at, path, $"health check cycle: {string.Join(" -> ", cycle)}");
                }
                else if (s == 0)
                {
                    Visit(child);
                }
            }
            stack.RemoveAt(stack.Count - 1);
            state[name] = 2;
        }
    }
}
