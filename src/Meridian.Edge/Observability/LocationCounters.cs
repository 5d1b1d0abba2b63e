using System.Collections.Concurrent;

namespace Meridian.Edge;

/// <summary>Lock-free counters of one location; kept across reloads for a location of the same name.</summary>
internal sealed class LocationCounters(string location)
{
    private readonly ConcurrentDictionary<(string Distribution, string Origin), OriginCounters> _origins = new();
    private long _requests;
    private long _misdirected;
    private long _originErrors;
    private long _failovers;

    public string Location { get; } = location;

    public void Request() => Interlocked.Increment(ref _requests);

    public void Misdirected() => Interlocked.Increment(ref _misdirected);

    public void Failover() => Interlocked.Increment(ref _failovers);

    public void OriginRequest(OriginRuntime origin) => For(origin).Request();

    public void OriginError(OriginRuntime origin)
    {
        Interlocked.Increment(ref _originErrors);
        For(origin).Error();
    }

    public EdgeMetrics Snapshot(IEnumerable<OriginRuntime> currentOrigins)
    {
        var origins = new List<EdgeOriginMetrics>();
        foreach (var origin in currentOrigins)
        {
            _origins.TryGetValue((origin.Distribution, origin.Name), out var counters);
            origins.Add(new EdgeOriginMetrics(origin.Distribution, origin.Name, origin.Health.Status,
                counters?.Requests ?? 0, counters?.Errors ?? 0, origin.Http1?.Opened ?? 0));
        }

        return new EdgeMetrics(Location, Interlocked.Read(ref _requests), Interlocked.Read(ref _misdirected),
            Interlocked.Read(ref _originErrors), Interlocked.Read(ref _failovers), origins);
    }

    private OriginCounters For(OriginRuntime origin) => _origins.GetOrAdd((origin.Distribution, origin.Name), static _ => new OriginCounters());

    private sealed class OriginCounters
    {
        private long _requests;
        private long _errors;

        public long Requests => Interlocked.Read(ref _requests);

        public long Errors => Interlocked.Read(ref _errors);

        public void Request() => Interlocked.Increment(ref _requests);

        public void Error() => Interlocked.Increment(ref _errors);
    }
}
