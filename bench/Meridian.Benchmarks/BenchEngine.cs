using Meridian.Dns;
using Meridian.Dns.Answering;
using Meridian.Dns.Clients;
using Meridian.Dns.Zones;
using Meridian.Health;
using Meridian.Topology;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Benchmarks;

/// <summary>
/// The answer engine over bench/dns/bench-topology.yaml with a health monitor that is never started: every check
/// stays Unknown, which the topology treats as healthy (`unknown_is: healthy`), so `app` answers 127.0.0.11.
/// </summary>
internal sealed class BenchEngine : IAsyncDisposable
{
    private readonly HealthMonitor _health;
    private readonly GeoLocator _geo;

    public BenchEngine()
    {
        Topology = LoadTopology();
        _health = new HealthMonitor(Topology, TimeProvider.System, NullLoggerFactory.Instance);
        _geo = new GeoLocator(Topology.Geo);
        Engine = new DnsAnswerEngine(ZoneCompiler.Compile(Topology, _health, _geo), Topology.Dns.MaxUdpPayload);
    }

    public TopologyConfig Topology { get; }

    public DnsAnswerEngine Engine { get; }

    public async ValueTask DisposeAsync()
    {
        await _health.DisposeAsync().ConfigureAwait(false);
        _geo.Dispose();
    }

    private static TopologyConfig LoadTopology()
    {
        using var stream = typeof(BenchEngine).Assembly.GetManifestResourceStream("bench-topology.yaml")
            ?? throw new InvalidOperationException("bench-topology.yaml is not embedded");
        using var reader = new StreamReader(stream);
        var result = TopologyLoader.LoadFromText(reader.ReadToEnd(), "bench-topology.yaml");
        return result.Config ?? throw new InvalidOperationException(string.Join("; ", result.Errors));
    }
}
