namespace Meridian.Topology.Model;

/// <summary>
/// How drills break and restore a region on real hosts: shell commands per region (a firewall rule, like the
/// tutorial's NACL deny). The demo needs none: it injects in-process.
/// </summary>
public sealed record DrillsConfig(IReadOnlyDictionary<string, string> InjectCommands, IReadOnlyDictionary<string, string> RestoreCommands)
{
    public static readonly DrillsConfig Empty = new(new Dictionary<string, string>(), new Dictionary<string, string>());
}
