using System.Net;
using DnsClient;
using Meridian.Hosting;
using Meridian.Topology;
using Microsoft.Extensions.Logging;

namespace Meridian.Cli.Tests.Support;

/// <summary>A <see cref="MeridianHost"/> running in-process from a topology file, on ephemeral loopback ports, real clock.</summary>
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
        var options = new MeridianHostOptions { Roles = MeridianRole.All, WatchConfig = watchConfig, TimeProvider = TimeProvider.System };
        var logs = new RecordingLoggerProvider();
        var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(logs));
        var host = new MeridianHost(loaded.Config!, options, loggers);
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
