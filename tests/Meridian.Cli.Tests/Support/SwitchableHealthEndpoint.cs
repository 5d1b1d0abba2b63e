using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Meridian.Cli.Tests.Support;

/// <summary>A real HTTP server (Kestrel on 127.0.0.1, ephemeral port) whose /health answers 200 or 503 on demand.</summary>
internal sealed class SwitchableHealthEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile bool _healthy = true;

    private SwitchableHealthEndpoint(WebApplication app, IPEndPoint endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    public int Port => Endpoint.Port;

    /// <summary>True: /health answers 200; false: 503.</summary>
    public bool Healthy
    {
        get => _healthy;
        set => _healthy = value;
    }

    public static async Task<SwitchableHealthEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        SwitchableHealthEndpoint? self = null;
        app.MapGet("/health", () => self!.Healthy ? Results.Text("ok") : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        await app.StartAsync();
        var address = app.Urls.First();
        self = new SwitchableHealthEndpoint(app, new IPEndPoint(IPAddress.Loopback, new Uri(address).Port));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
