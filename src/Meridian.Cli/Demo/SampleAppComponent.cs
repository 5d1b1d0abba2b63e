using System.Net;
using Meridian.Hosting.Outage;
using Meridian.SampleApp;
using Meridian.SampleApp.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Meridian.Cli.Demo;

/// <summary>
/// One sample app instance of the demo, hosted in-process on its own address, stoppable for a region outage.
/// The mode control is shared across restarts, so an instance switched to "unhealthy" stays so after a drill.
/// With <paramref name="database"/> (see <see cref="DemoDatabase.Options"/>; only once the database tier runs, since
/// /health then requires a writable writer) it stores its data in PostgreSQL through db-writer / db-reader.
/// </summary>
/// With <paramref name="bucket"/> its /health also requires the region's bucket (the tutorial: a shallow OK defeats failover).
internal sealed class SampleAppComponent(string region, string instance, IPEndPoint listen, DatabaseOptions? database = null, Uri? bucket = null)
    : IRegionComponent, IAsyncDisposable
{
    private WebApplication? _app;

    public string Region => region;

    public string Name => $"app {instance}";

    public string Instance => instance;

    public SampleAppControl Control { get; } = new();

    public IReadOnlyList<IPEndPoint> Endpoints => [listen];

    public async Task StartAsync(CancellationToken token)
    {
        var app = SampleApplication.Build(new SampleAppOptions
        {
            Region = region,
            InstanceId = instance,
            Listen = listen,
            Control = Control,
            Database = database,
            Dependencies = bucket is null ? [] : [SampleApp.Dependencies.DependencyCheck.Http(bucket)],
            MinimumLogLevel = LogLevel.Warning,
        });
        try
        {
            await app.StartAsync(token);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"demo app {instance}: cannot listen on {listen} ({ex.Message})", ex);
        }

        _app = app;
    }

    public async Task StopAsync(CancellationToken token)
    {
        if (Interlocked.Exchange(ref _app, null) is { } app)
        {
            await app.StopAsync(token);
            await app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));
}
