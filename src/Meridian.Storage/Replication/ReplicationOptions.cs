namespace Meridian.Storage.Replication;

/// <summary>Worker tuning. Retries back off exponentially from <see cref="InitialBackoff"/> up to <see cref="MaxBackoff"/>.</summary>
public sealed record ReplicationOptions
{
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Parallel lanes; one key always maps to one lane, so a key's changes apply in source order.</summary>
    public int Lanes { get; init; } = 32;
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
