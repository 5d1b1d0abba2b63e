namespace Meridian.Health;

/// <summary>Stands in for a prober that could not be created: every probe fails with the same reason.</summary>
internal sealed class FailingProber(string reason) : IHealthProber
{
    public ValueTask<ProbeResult> ProbeAsync(string location, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ProbeResult.Fail(reason));
}
