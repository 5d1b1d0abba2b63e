using Meridian.Topology.Model;

namespace Meridian.Topology;

/// <summary>
/// The outcome of loading a topology: either <see cref="Config"/> (no errors) or every error found, never both.
/// Warnings may accompany either.
/// </summary>
public sealed class TopologyLoadResult
{
    public TopologyLoadResult(TopologyConfig? config, IReadOnlyList<TopologyError> errors, IReadOnlyList<TopologyError> warnings)
    {
        Config = errors.Count == 0 ? config : null;
        Errors = errors;
        Warnings = warnings;
    }

    /// <summary>The loaded topology; null when <see cref="Errors"/> is non-empty.</summary>
    public TopologyConfig? Config { get; }

    /// <summary>All errors, ordered by position in the file.</summary>
    public IReadOnlyList<TopologyError> Errors { get; }

    /// <summary>Things that load but are probably not what was meant (e.g. a failover record that can never fail over).</summary>
    public IReadOnlyList<TopologyError> Warnings { get; }

    public bool Succeeded => Errors.Count == 0 && Config is not null;
}
