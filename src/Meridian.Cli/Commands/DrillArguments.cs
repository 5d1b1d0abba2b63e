namespace Meridian.Cli.Commands;

/// <summary>The command line of `meridian drill region-outage`, as given.</summary>
internal sealed record DrillArguments(
    string Region,
    string? Config,
    string Mode,
    int Rate,
    string Duration,
    string OutageAt,
    string RestoreAt,
    string? Client,
    string? Output,
    string? Inject,
    string? Restore,
    string? MaxDnsFailover,
    int? MaxEdgeErrors,
    int? MaxDirectErrors,
    int ObjectsRate = 10,
    int? MaxObjectRpo = null);
