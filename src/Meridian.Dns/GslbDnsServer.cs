using System.Net;
using System.Net.Sockets;
using Meridian.Dns.Answering;
using Meridian.Dns.Clients;
using Meridian.Dns.Routing;
using Meridian.Dns.Server;
using Meridian.Dns.Wire;
using Meridian.Dns.Zones;
using Meridian.Health;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging;

namespace Meridian.Dns;

/// <summary>
/// The authoritative GSLB DNS server: UDP and TCP listeners on every configured endpoint, answering from a
/// compiled snapshot of the topology and the live health view. <see cref="Reload"/> swaps the snapshot atomically.
/// </summary>
public sealed class GslbDnsServer : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly DnsAnswerEngine _engine;
    private readonly List<UdpDnsListener> _udp = [];
    private readonly List<TcpDnsListener> _tcp = [];
    private readonly List<(GeoLocator Locator, ITimer Timer)> _retiredGeo = [];
    private GeoLocator _geo;

    public GslbDnsServer(TopologyConfig topology, IHealthView health, ILoggerFactory loggers)
    {
        _logger = loggers.CreateLogger("Meridian.Dns");
        _geo = new GeoLocator(topology.Geo);
        _engine = new DnsAnswerEngine(ZoneCompiler.Compile(topology, health, _geo), topology.Dns.MaxUdpPayload);
        Loggers = loggers;
    }

    private ILoggerFactory Loggers { get; }

    /// <summary>Endpoints actually bound (port 0 in the topology becomes a real port here), UDP and TCP alike.</summary>
    public IReadOnlyList<IPEndPoint> Endpoints => _udp.Select(u => u.LocalEndPoint).ToArray();

    /// <summary>
    /// How long a geolocation database replaced by a reload stays open: queries that read the old snapshot just
    /// before the swap still look clients up in it (microseconds; the grace is generous).
    /// </summary>
    public static readonly TimeSpan RetiredGeoGrace = TimeSpan.FromSeconds(30);

    /// <summary>The clock of <see cref="RetiredGeoGrace"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Threads answering UDP per endpoint; one matches NSD on one core (docs/benchmarks.md).</summary>
    public int UdpThreadsPerEndpoint { get; init; } = 1;

    /// <summary>Binds every listener. Throws <see cref="DnsStartException"/> naming the address when one is in use.</summary>
    public void Start()
    {
        var topology = _engine.Snapshot.Topology;
        foreach (var configured in topology.Dns.Listen)
        {
            Bind(configured, topology.Dns.TcpIdleTimeout);
        }

        _udp.ForEach(u => u.Start());
        _tcp.ForEach(t => t.Start());
        foreach (var endpoint in Endpoints)
        {
            _logger.LogInformation("DNS listening on {Endpoint} (UDP and TCP), zones: {Zones}", endpoint, string.Join(", ", topology.Zones.Select(z => z.Name)));
        }
    }

    private void Bind(IPEndPoint configured, TimeSpan tcpIdleTimeout)
    {
        // Port 0 (tests): bind UDP first and use its port for TCP too, so one number serves both. The TCP port
        // may already be taken by an unrelated socket, so an ephemeral pair is retried a few times.
        for (var attempt = 1; ; attempt++)
        {
            UdpDnsListener? udp = null;
            try
            {
                udp = new UdpDnsListener(configured, _engine, UdpThreadsPerEndpoint, _logger);
                var tcp = new TcpDnsListener(udp.LocalEndPoint, _engine, tcpIdleTimeout, _logger);
                _udp.Add(udp);
                _tcp.Add(tcp);
                return;
            }
            catch (SocketException ex) when (configured.Port == 0 && attempt < 20 && ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                udp?.Dispose();
            }
            catch (SocketException ex)
            {
                udp?.Dispose();
                throw new DnsStartException($"dns.listen: cannot bind {configured} ({ex.SocketErrorCode}: {ex.Message})", ex);
            }
        }
    }

    /// <summary>Compiles the new topology and swaps it in; queries in flight finish on the old snapshot.</summary>
    public void Reload(TopologyConfig topology, IHealthView health)
    {
        var geo = topology.Geo == _engine.Snapshot.Topology.Geo ? _geo : new GeoLocator(topology.Geo);
        _engine.Snapshot = ZoneCompiler.Compile(topology, health, geo);
        _engine.MaxUdpPayload = topology.Dns.MaxUdpPayload;
        if (!ReferenceEquals(geo, _geo))
        {
            Retire(_geo);
        }

        _geo = geo;
        _logger.LogInformation("DNS reloaded topology {File}: {Names} names", topology.SourceFile, _engine.Snapshot.Names.Count);
    }

    /// <summary>
    /// Explains the answer to <paramref name="name"/>/<paramref name="type"/> for a client network (ECS) or, with
    /// none, for a query from loopback.
    /// </summary>
    public ExplainResult Explain(string name, string type, IPNetwork? client)
    {
        var qtype = ParseType(type);
        var normalised = name.Trim().TrimEnd('.').ToLowerInvariant();
        var query = QueryBuilder.Build(normalised, qtype, client);
        var response = new byte[ushort.MaxValue];
        var tracer = new ExplainTracer();
        var length = _engine.Respond(query, response, ClientAddress.FromIPAddress(IPAddress.Loopback), overTcp: true, tracer);
        var decoded = DnsMessageDecoder.Decode(response.AsSpan(0, length));
        return new ExplainResult(
            normalised,
            QueryResolver.TypeName(qtype),
            client?.ToString() ?? "127.0.0.1 (no client subnet)",
            decoded.Rcode.ToString().ToUpperInvariant(),
            decoded.Opt?.ClientSubnet?.ScopePrefix,
            decoded.Truncated,
            decoded.Answers.Select(ToAnswer).ToArray(),
            decoded.Authority.Select(ToAnswer).ToArray(),
            tracer.Steps.Select(s => s.ToString()).ToArray());
    }

    private static ExplainAnswer ToAnswer(DecodedRecord r) => new(r.Name, QueryResolver.TypeName(r.Type), r.Ttl, r.Data);

    /// <summary>Parses A, AAAA, ... or TYPEnn; throws <see cref="ArgumentException"/> for anything else.</summary>
    public static ushort ParseType(string type)
    {
        if (Enum.TryParse<RecordType>(type, ignoreCase: true, out var known) && Enum.IsDefined(known))
        {
            return (ushort)known;
        }

        if (type.Equals("ANY", StringComparison.OrdinalIgnoreCase))
        {
            return 255;
        }

        if (type.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase) && ushort.TryParse(type.AsSpan(4), out var numeric))
        {
            return numeric;
        }

        throw new ArgumentException($"unknown record type '{type}' (use A, AAAA, CNAME, MX, NS, SOA, SRV, TXT, CAA, ANY or TYPEnn)");
    }

    /// <summary>Geolocation databases replaced by a reload and not closed yet (tests).</summary>
    internal int RetiredGeoOpen
    {
        get
        {
            lock (_retiredGeo)
            {
                return _retiredGeo.Count;
            }
        }
    }

    // Closes a replaced locator (its MaxMind reader maps the database file) once no query can still be using it.
    private void Retire(GeoLocator old)
    {
        lock (_retiredGeo)
        {
            var timer = Time.CreateTimer(_ => CloseRetired(old), null, RetiredGeoGrace, Timeout.InfiniteTimeSpan);
            _retiredGeo.Add((old, timer));
        }
    }

    private void CloseRetired(GeoLocator old)
    {
        lock (_retiredGeo)
        {
            var index = _retiredGeo.FindIndex(r => ReferenceEquals(r.Locator, old));
            if (index < 0)
            {
                return; // closed by DisposeAsync meanwhile
            }

            _retiredGeo[index].Timer.Dispose();
            _retiredGeo.RemoveAt(index);
        }

        old.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _udp.ForEach(u => u.Dispose());
        foreach (var tcp in _tcp)
        {
            await tcp.DisposeAsync().ConfigureAwait(false);
        }

        List<(GeoLocator Locator, ITimer Timer)> retired;
        lock (_retiredGeo)
        {
            retired = [.. _retiredGeo];
            _retiredGeo.Clear();
        }

        foreach (var (locator, timer) in retired)
        {
            timer.Dispose();
            locator.Dispose();
        }

        _geo.Dispose();
    }
}
