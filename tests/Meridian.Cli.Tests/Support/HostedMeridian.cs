using System.Net;
using DnsClient;
using Meridian.Hosting;
using Meridian.Topology;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging;

namespace Meridian.Cli.Tests.Support;

/// <summary>
/// A <see cref="MeridianHost"/> running in-process from a topology file with the real clock; its DNS and control
/// listeners are replaced by ephemeral ports on 127.0.0.1 (a reload of the file keeps them: listeners apply at start).
/// </summary>
internal sealed class HostedMeridian : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;

    private HostedMeridian(MeridianHost host, ILoggerFactory loggers, RecordingLoggerProvider logs)
    {
        _loggers = loggers;
        Logs = logs;
        Host = host;
        Http = new HttpClient { BaseAddress = new Uri($"http://{host.ControlEndpoint}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public MeridianHost Host { get; }

    /// <summary>Everything the host logged (information and above).</summary>
    public RecordingLoggerProvider Logs { get; }

    public IPEndPoint DnsEndpoint => Host.Dns!.Endpoints[0];

    /// <summary>A client of the control API.</summary>
    public HttpClient Http { get; }

    public static async Task<HostedMeridian> StartAsync(TopologyFile file, bool watchConfig = false)
    {
        var loaded = TopologyLoader.Load(file.Path);
        Assert.True(loaded.Succeeded, string.Join(Environment.NewLine, loaded.Errors));
        // Port 0 on loopback: the OS picks free ports, so tests run in parallel and beside a running demo.
        var ephemeral = new IPEndPoint(IPAddress.Loopback, 0);
        var config = loaded.Config! with
        {
            Dns = loaded.Config.Dns with { Listen = [ephemeral] },
            Control = new ControlConfig(ephemeral),
        };
        var options = new MeridianHostOptions { Roles = MeridianRole.All, WatchConfig = watchConfig, TimeProvider = TimeProvider.System };
        var logs = new RecordingLoggerProvider();
        var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(logs));
        var host = new MeridianHost(config, options, loggers);
        try
        {
            await host.StartAsync();
        }
        catch
        {
            await host.DisposeAsync();
            loggers.Dispose();
            throw;
        }

        return new HostedMeridian(host, loggers, logs);
    }

    public LookupClient Lookup(bool tcp = false) => DnsQueries.Client(DnsEndpoint, tcp);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        _loggers.Dispose();
    }
}
