using Microsoft.Extensions.Hosting;

namespace Meridian.SampleApp;

/// <summary>
/// Used when hosted in-process: the default console lifetime would hook Ctrl+C for every instance in the
/// process and print banners; the owning host stops instances itself.
/// </summary>
internal sealed class NullHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
