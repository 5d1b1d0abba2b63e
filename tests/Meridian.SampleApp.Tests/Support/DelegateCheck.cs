using System.Diagnostics;
using Meridian.SampleApp.Dependencies;

namespace Meridian.SampleApp.Tests.Support;

/// <summary>A dependency whose answer the test decides.</summary>
internal sealed class DelegateCheck(string name, Func<CancellationToken, Task<bool>> probe) : IDependencyCheck
{
    public string Name => name;

    public async Task<DependencyCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var ok = await probe(cancellationToken);
        return new DependencyCheckResult(name, ok, ok ? "delegate said yes" : "delegate said no", Stopwatch.GetElapsedTime(started));
    }
}
