using System.Net;
using Meridian.SampleApp;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Meridian.SampleApp.Tests.Support;

/// <summary>A real Kestrel instance on 127.0.0.1:0 with a real HttpClient pointed at it.</summary>
internal sealed class RunningSampleApp : IAsyncDisposable
{
    private RunningSampleApp(WebApplication app, SampleAppOptions options)
    {
        App = app;
        Options = options;
        Control = SampleApplication.GetControl(app);
        BaseAddress = SampleApplication.GetBaseAddress(app);
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public WebApplication App { get; }

    public SampleAppOptions Options { get; }

    public SampleAppControl Control { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public static async Task<RunningSampleApp> StartAsync(Func<SampleAppOptions, SampleAppOptions>? configure = null)
    {
        var options = new SampleAppOptions
        {
            Region = "us-east-1",
            InstanceId = "us-1",
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            ConfigureLogging = logging => logging.ClearProviders(), // keep test output readable
        };
        options = configure?.Invoke(options) ?? options;
        var app = SampleApplication.Build(options);
        await app.StartAsync();
        return new RunningSampleApp(app, options);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
