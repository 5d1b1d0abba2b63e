using Meridian.Topology.Model;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>
/// <c>drills: { region-outage: { inject: { region: command }, restore: { region: command } } }</c>. Every region
/// with an inject command needs a restore command: a drill must always be able to undo itself.
/// </summary>
internal sealed class DrillsSection : ITopologySection
{
    private static readonly string[] Keys = ["region-outage"];
    private static readonly string[] OutageKeys = ["inject", "restore"];

    public string Key => "drills";

    public void Read(LoadContext ctx, YNode node, TopologyBuilder builder)
    {
        if (YamlReader.AsMapping(ctx, node, Key) is not { } m)
        {
            return;
        }

        var map = new MapReader(ctx, m, Key, Keys);
        if (map.Map("region-outage", OutageKeys) is not { } outage)
        {
            return;
        }

        var inject = Commands(ctx, outage, "inject", builder);
        var restore = Commands(ctx, outage, "restore", builder);
        foreach (var region in inject.Keys.Except(restore.Keys))
        {
            ctx.Error(outage.Get("inject")!, LoadContext.Join(outage.PathOf("restore"), region),
                $"region '{region}' has an inject command but no restore command");
        }

        builder.Config = builder.Config with { Drills = new DrillsConfig(inject, restore) };
    }

    private static Dictionary<string, string> Commands(LoadContext ctx, MapReader outage, string key, TopologyBuilder builder)
    {
        var commands = new Dictionary<string, string>(StringComparer.Ordinal);
        if (outage.Get(key) is not { } node)
        {
            return commands;
        }

        foreach (var entry in NamedEntries.Read(ctx, node, outage.PathOf(key)))
        {
            if (!builder.HasRegion(entry.Name))
            {
                ctx.Error(entry.KeyNode, entry.Path, $"unknown region '{entry.Name}'");
            }

            if (YamlReader.AsString(ctx, entry.Value, entry.Path) is { Length: > 0 } command)
            {
                commands[entry.Name] = command;
            }
            else
            {
                ctx.Error(entry.Value, entry.Path, "expected a shell command");
            }
        }

        return commands;
    }
}
