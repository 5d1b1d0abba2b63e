using Microsoft.Extensions.Hosting;

namespace Meridian.Edge;

/// <summary>
/// The edge hosts are embedded in a larger process: they must not hook Ctrl+C/SIGTERM nor print console status (the
/// default console lifetime would, once per location).
/// </summary>
internal sealed class NoopHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
