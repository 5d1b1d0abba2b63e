using Meridian.Topology.Loading;
using Meridian.Topology.Model;

namespace Meridian.Topology.Validation;

/// <summary>Aliases may chain (Route53 allows alias to alias), but a loop would never resolve: report it with its path.</summary>
internal static class AliasCycleValidator
{
    public static void Validate(LoadContext ctx, IReadOnlyList<RecordDraft> records)
    {
        var edges = records
            .Where(d => d.Config.Alias is not null && d.Config.Alias.Target != d.Config.Name)
            .GroupBy(d => (d.Config.Name, d.Config.Type))
            .ToDictionary(g => g.Key, g => g.ToList());
        var state = new Dictionary<(string, RecordType), int>(); // 1 = on the path, 2 = done
        var path = new List<(string Name, RecordType Type)>();
        foreach (var start in edges.Keys)
        {
            Visit(start);
        }

        void Visit((string Name, RecordType Type) set)
        {
            state[set] = 1;
            path.Add(set);
            foreach (var d in edges.GetValueOrDefault(set) ?? [])
            {
                var next = (d.Config.Alias!.Target, d.Config.Type);
                var s = state.GetValueOrDefault(next);
                if (s == 1)
                {
                    var names = path.Skip(path.IndexOf(next)).Select(p => p.Name).Append(next.Target);
                    ctx.Error(d.NodeOr(d.AliasTargetNode), LoadContext.Join(d.Path, "alias.target"),
                        $"alias cycle: {string.Join(" -> ", names)} ({d.Config.Type})");
                }
                else if (s == 0 && edges.ContainsKey(next))
                {
                    Visit(next);
                }
            }
            path.RemoveAt(path.Count - 1);
            state[set] = 2;
        }
    }
}
