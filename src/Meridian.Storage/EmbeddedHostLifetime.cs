using Microsoft.Extensions.Hosting;

namespace Meridian.Storage;

/// <summary>The store's web host lives inside Meridian's host: it must not hook Ctrl+C/SIGTERM itself, its owner stops it.</summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
