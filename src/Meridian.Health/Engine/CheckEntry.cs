using Meridian.Topology.Model;

namespace Meridian.Health;

/// <summary>
/// One configured check at runtime: its settings as resolved against the checkers config, its public state, the
/// last status per location (guarded by the aggregator's lock) and, when probed locally, its loops.
/// </summary>
internal sealed class CheckEntry
{
    public CheckEntry(HealthCheckConfig config, CheckersConfig checkers)
    {
        Config = config;
        IReadOnlyList<string> locations = config.Locations.Count > 0 ? config.Locations : checkers.Locations;
        Locations = locations.Count > 0 ? [.. locations.Distinct(StringComparer.Ordinal)] : [CheckersConfig.LocalLocation];
        Fraction = config.HealthyFraction ?? checkers.HealthyFraction;
        UnknownIs = checkers.UnknownIs;
        State = new HealthCheckState(config.Name, UnknownIs, config.Disabled);
        LocationStatus = Locations.ToDictionary(l => l, _ => HealthStatus.Unknown, StringComparer.Ordinal);
    }

    public HealthCheckConfig Config { get; }

    public string Name => Config.Name;

    public string[] Locations { get; }

    public double Fraction { get; }

    public UnknownHealthPolicy UnknownIs { get; }

    public HealthCheckState State { get; }

    /// <summary>Last thresholded status per location; only touched under the aggregator's lock.</summary>
    public Dictionary<string, HealthStatus> LocationStatus { get; }

    public bool IsCalculated => Config.Type == HealthCheckType.Calculated;

    /// <summary>Whether the monitor runs prober loops for it (not disabled, not calculated).</summary>
    public bool IsProbed => !Config.Disabled && !IsCalculated;

    // Loop bookkeeping, owned by the monitor.
    public CancellationTokenSource? Stopping { get; set; }

    public List<ProbeLoop> Loops { get; } = [];

    public IHealthProber? Prober { get; set; }

    /// <summary>True when a reload may keep this entry (and its state) for <paramref name="other"/>.</summary>
    public bool CanReplace(CheckEntry other) =>
        CheckConfigComparer.SameSettings(Config, other.Config)
        && Locations.SequenceEqual(other.Locations, StringComparer.Ordinal)
        && Fraction.Equals(other.Fraction)
        && UnknownIs == other.UnknownIs;
}
