namespace Meridian.SampleApp.Dependencies;

/// <summary>
/// One thing /health must be able to reach before it may say 200 (the tutorial: a shallow OK defeats failover).
/// New kinds (database, bucket) implement this and register with <see cref="DependencyCheckFactory"/>.
/// </summary>
public interface IDependencyCheck
{
    /// <summary>Stable name shown in the /health body, usually the spec it was created from.</summary>
    string Name { get; }

    /// <summary>
    /// Probes once. The token is cancelled at the check timeout; implementations report failures as results
    /// rather than throwing so one broken dependency cannot hide the others.
    /// </summary>
    Task<DependencyCheckResult> CheckAsync(CancellationToken cancellationToken);
}
