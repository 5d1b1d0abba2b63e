using System.Net;
using DnsClient;
using Meridian.Hosting;
using Meridian.Topology;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Cli.Tests.Support;

/// <summary>A <see cref="MeridianHost"/> running in-process from a topology file, on ephemeral loopback ports, real clock.</summary>
internal sealed class HostedMeridian : IAsyncDisposable
{
    private HostedMeridian(MeridianHost host)
    {
        Host = host;
        Http = new HttpClient { BaseAddress = new Uri($"http://{host.ControlEndpoint}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public MeridianHost Host { get; }

    public IPEndPoint DnsEndpoint => Host.Dns!.Endpoints[0];

    /// <summary>A client of the control API.</summary>
    public HttpClient Http { get; }

    public static async Task<HostedMeridian> StartAsync(TopologyFile file, bool watchConfig = false)
    {
        var loaded = TopologyLoader.Load(file.Path);
        Assert.True(loaded.Succeeded, string.Join(Environment.NewLine, loaded.Errors));
        var options = new MeridianHostOptions { Roles = MeridianRole.All, WatchConfig = watchConfig, TimeProvider = TimeProvider.System };
        var host = new MeridianHost(loaded.Config!, options, NullLoggerFactory.Instance);
        try
        {
            await host.StartAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return new HostedMeridian(host);
    }

    public LookupClient Lookup(bool tcp = false) => DnsQueries.Client(DnsEndpoint, tcp);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
