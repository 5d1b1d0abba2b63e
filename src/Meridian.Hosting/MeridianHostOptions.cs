namespace Meridian.Hosting;

/// <summary>How <see cref="MeridianHost"/> runs: which roles, as which region, and what watches the file.</summary>
public sealed record MeridianHostOptions
{
    public MeridianRole Roles { get; init; } = MeridianRole.All;

    /// <summary>The region this process belongs to (one process per region/role on real hosts); null in the demo.</summary>
    public string? Region { get; init; }

    /// <summary>Reload when the topology file changes on disk or on SIGHUP.</summary>
    public bool WatchConfig { get; init; } = true;

    /// <summary>The clock for health checks and timers; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Stop the PostgreSQL servers Meridian manages when the host stops (the demo). Default false: like any database
    /// service they keep running, and the next start resumes them.
    /// </summary>
    public bool StopDatabasesOnExit { get; init; }
}
