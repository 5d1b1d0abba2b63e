using Microsoft.Extensions.Hosting;

namespace Meridian.Balancer;

/// <summary>
/// The balancer's web host is embedded in Meridian's own host: it must not hook Ctrl+C/SIGTERM (the default
/// console lifetime would), its owner stops it.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
