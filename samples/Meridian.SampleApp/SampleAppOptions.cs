using System.Net;
using Meridian.SampleApp.Data;
using Meridian.SampleApp.Dependencies;
using Microsoft.Extensions.Logging;

namespace Meridian.SampleApp;

/// <summary>Everything one instance needs; the command line and the in-process demo host both build this.</summary>
public sealed record SampleAppOptions
{
    public required string Region { get; init; }

    public required string InstanceId { get; init; }

    /// <summary>Where Kestrel listens; port 0 picks a free port (read it back with <see cref="SampleApplication.GetBaseAddress"/>).</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>What /health must reach, described declaratively (tcp:, http://, later kinds).</summary>
    public IReadOnlyList<DependencyCheck> Dependencies { get; init; } = [];

    /// <summary>Ready-made checks added to <see cref="Dependencies"/>: for in-process hosts with custom probes.</summary>
    public IReadOnlyList<IDependencyCheck> AdditionalChecks { get; init; } = [];

    /// <summary>Turns <see cref="Dependencies"/> into probes; extend it with database/bucket kinds.</summary>
    public DependencyCheckFactory CheckFactory { get; init; } = DependencyCheckFactory.Default;

    /// <summary>
    /// PostgreSQL for /api/items and /api/drill (writer and reader names, credentials, the DNS server for names).
    /// When set, /health also requires a writable writer (a <c>postgres:</c> dependency on it). Null: no database.
    /// </summary>
    public DatabaseOptions? Database { get; init; }

    /// <summary>Per-dependency timeout; well under the tutorial's 5 s health-check timeout.</summary>
    public TimeSpan DependencyTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Shared with the host when given, so it can flip modes without resolving services.</summary>
    public SampleAppControl? Control { get; init; }

    /// <summary>Validators for static assets. Fixed, so every region serves identical ETag/Last-Modified.</summary>
    public DateTimeOffset AssetsLastModified { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Standalone runs stop on Ctrl+C; in-process hosts (many instances) stop them explicitly instead.</summary>
    public bool UseConsoleLifetime { get; init; }

    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;

    /// <summary>Replace or extend logging providers (tests clear them).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}
