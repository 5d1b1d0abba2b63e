using System.Diagnostics;

namespace Meridian.SampleApp.Dependencies;

/// <summary>Runs every dependency check in parallel, each under the same timeout.</summary>
internal sealed class DependencyHealth
{
    private readonly IReadOnlyList<IDependencyCheck> _checks;
    private readonly TimeSpan _timeout;

    public DependencyHealth(IReadOnlyList<IDependencyCheck> checks, TimeSpan timeout)
    {
        _checks = checks;
        _timeout = timeout;
    }

    public async Task<IReadOnlyList<DependencyCheckResult>> CheckAllAsync(CancellationToken cancellationToken)
    {
        if (_checks.Count == 0)
        {
            return [];
        }

        // Parallel: the ALB-style checker waits 5 s for the whole /health, not per dependency.
        var tasks = new Task<DependencyCheckResult>[_checks.Count];
        for (var i = 0; i < _checks.Count; i++)
        {
            tasks[i] = RunOneAsync(_checks[i], cancellationToken);
        }

        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private async Task<DependencyCheckResult> RunOneAsync(IDependencyCheck check, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            return await check.CheckAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A misbehaving check is a failing dependency, never a 500 from /health.
            var detail = timeout.IsCancellationRequested ? "timed out" : $"check threw {ex.GetType().Name}: {ex.Message}";
            return DependencyCheckResult.Fail(check.Name, detail, Stopwatch.GetElapsedTime(started));
        }
    }
}
