using Meridian.Database.Failover;

namespace Meridian.Database.Tests.Support;

/// <summary>Records every action in order; each can be made to fail, and rejoins can be held open.</summary>
public sealed class RecordingActions : IClusterActions
{
    public List<string> Calls { get; } = [];

    public string? FailPromote { get; set; }
    public string? FailFence { get; set; }
    public string? FailRejoin { get; set; }
    public TaskCompletionSource<string>? HoldRejoin { get; set; }
    public long FinalCheckpoint { get; set; } = 1000;
    public Action? OnStopCleanly { get; set; }

    public Task<string> FenceAsync(string member, string writer, CancellationToken token)
    {
        Calls.Add($"fence {member} -> {writer}");
        return FailFence is { } f ? throw new DatabaseException(f) : Task.FromResult("stopped");
    }

    public Task<string> PromoteAsync(string member, IReadOnlyList<string> followers, string synchronousNames, CancellationToken token)
    {
        Calls.Add($"promote {member} followers=[{string.Join(",", followers)}] sync='{synchronousNames}'");
        return FailPromote is { } f ? throw new DatabaseException(f) : Task.FromResult("promoted");
    }

    public async Task<string> RejoinAsync(string member, string writer, CancellationToken token)
    {
        Calls.Add($"rejoin {member} -> {writer}");
        if (HoldRejoin is { } hold)
        {
            return await hold.Task;
        }
        return FailRejoin is { } f ? throw new DatabaseException(f) : "rewound";
    }

    public Task SetSynchronousAsync(string writer, string synchronousNames, CancellationToken token)
    {
        Calls.Add($"sync {writer} '{synchronousNames}'");
        return Task.CompletedTask;
    }

    public Task<long> StopCleanlyAsync(string member, CancellationToken token)
    {
        Calls.Add($"stop {member}");
        OnStopCleanly?.Invoke();
        return Task.FromResult(FinalCheckpoint);
    }

    public Task StartAsync(string member, CancellationToken token)
    {
        Calls.Add($"start {member}");
        return Task.CompletedTask;
    }
}
