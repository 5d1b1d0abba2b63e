using Meridian.Health;
using Meridian.Topology.Model;

namespace Meridian.Dns.Zones;

/// <summary>One record of a set, ready to answer: RDATA pre-encoded, references resolved to objects.</summary>
internal sealed class CompiledRecord
{
    public required RecordConfig Config { get; init; }

    public string SetId => Config.SetId ?? "(simple)";

    /// <summary>Encoded RDATA per value; empty for aliases.</summary>
    public byte[][] Rdata { get; init; } = [];

    public uint Ttl => Config.Ttl;

    public HealthCheckState? Health { get; init; }

    /// <summary>Set after all names are compiled (aliases may point forward).</summary>
    public RecordSetNode? AliasTarget { get; set; }

    public bool EvaluateTargetHealth => Config.Alias?.EvaluateTargetHealth ?? false;

    /// <summary>Latency routing: index into the latency map's regions.</summary>
    public int RegionIndex { get; init; } = -1;

    public int Weight { get; init; }

    public override string ToString() => $"{Config.Name} {Config.Type} [{SetId}]";
}
