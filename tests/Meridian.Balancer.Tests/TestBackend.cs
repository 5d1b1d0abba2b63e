using System.Net;
using Meridian.Topology.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Meridian.Balancer.Tests;

/// <summary>
/// A target app on loopback whose behaviour tests switch: /health answers <see cref="HealthStatus"/>; any other path
/// answers 200 with the backend's name, after <see cref="Release"/> when <see cref="Slow"/>.
/// </summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _hits;
    private int _waiting;
    private int _healthWaiting;
    private bool _stopped;

    private TestBackend(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }
    public int Port { get; private set; }
    public TargetConfig Target => new("127.0.0.1", Port);
    public volatile int HealthStatus = 200;
    public volatile bool Slow;
    /// <summary>When set, /health never answers (until <see cref="Release"/>).</summary>
    public volatile bool HealthHangs;
    public int HealthWaiting => Volatile.Read(ref _healthWaiting);
    public int Hits => Volatile.Read(ref _hits);
    /// <summary>Requests held by <see cref="Slow"/>.</summary>
    public int Waiting => Volatile.Read(ref _waiting);
    public IReadOnlyDictionary<string, string> LastHeaders { get; private set; } = new Dictionary<string, string>();

    public static async Task<TestBackend> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var backend = new TestBackend(name, app);
        app.Run(backend.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        backend.Port = new Uri(address).Port;
        return backend;
    }

    /// <summary>Lets every held request complete.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _release.TrySetResult();
            _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Closes the listener: connections are refused from now on.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        Release();
        await _app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Slow = false;
        HealthHangs = false;
        Release();
        if (!_stopped)
        {
            await _app.StopAsync();
        }

        await _app.DisposeAsync();
    }

    private Task WaitForReleaseAsync()
    {
        lock (_gate)
        {
            return _release.Task;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path == "/health")
        {
            if (HealthHangs)
            {
                Interlocked.Increment(ref _healthWaiting);
                try
                {
                    await WaitForReleaseAsync().WaitAsync(context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                finally
                {
                    Interlocked.Decrement(ref _healthWaiting);
                }
            }

            context.Response.StatusCode = HealthStatus;
            return;
        }

        if (await ResponseBodies.TryServeAsync(context, WaitForReleaseAsync))
        {
            return;
        }

        Interlocked.Increment(ref _hits);
        LastHeaders = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        if (Slow)
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                await WaitForReleaseAsync();
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        await context.Response.WriteAsync(Name);
    }
}
