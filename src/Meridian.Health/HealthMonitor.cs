using Meridian.Topology.Model;
using Microsoft.Extensions.Logging;

namespace Meridian.Health;

/// <summary>
/// Runs every configured health check from each of its checker locations, aggregates the per-location results
/// (Route53 healthy-fraction rule), evaluates calculated checks, and exposes the result as an <see cref="IHealthView"/>.
/// Observations from remote checkers can be fed through <see cref="Report"/>.
/// </summary>
/// <remarks>
/// States exist from construction (Unknown, answered per the unknown policy) so the DNS server can resolve them
/// before <see cref="Start"/>. After <see cref="Reload"/>, unchanged checks keep the same
/// <see cref="HealthCheckState"/> instance; changed or new checks get new instances, so callers re-resolve via
/// <see cref="Find"/> after a reload.
/// </remarks>
public sealed class HealthMonitor : IHealthView, IHealthObservationSink, IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<HealthCheckConfig, IHealthProber> _proberFactory;
    private readonly HealthAggregator _aggregator;
    private readonly Lock _gate = new();
    private readonly List<Task> _retiring = [];
    private volatile View _view = View.Empty;
    private Dictionary<string, CheckEntry> _entries = new(StringComparer.Ordinal);
    private bool _started;
    private bool _disposed;

    /// <param name="config">The topology; <see cref="TopologyConfig.HealthChecks"/> and <see cref="TopologyConfig.Checkers"/> are used.</param>
    /// <param name="timeProvider">The clock for intervals, timeouts and event times (tests pass a fake one).</param>
    /// <param name="loggerFactory">Logger source; events go to category <c>Meridian.Health.HealthMonitor</c>.</param>
    /// <param name="proberFactory">Creates the prober of an HTTP/HTTPS/TCP check (one per check, shared by its
    /// locations); defaults to <see cref="HealthProbers.Create"/>.</param>
    /// <param name="events">The event ring to record into; a new one of default capacity when null.</param>
    public HealthMonitor(
        TopologyConfig config,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        Func<HealthCheckConfig, IHealthProber>? proberFactory = null,
        HealthEventLog? events = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _time = timeProvider;
        _logger = loggerFactory.CreateLogger<HealthMonitor>();
        _proberFactory = proberFactory ?? (check => HealthProbers.Create(check, timeProvider));
        Events = events ?? new HealthEventLog();
        _aggregator = new HealthAggregator(Events, _logger, timeProvider);
        Reload(config);
    }

    /// <summary>Recent status changes (aggregated and per location); subscribe with <see cref="HealthEventLog.Subscribe"/>.</summary>
    public HealthEventLog Events { get; }

    public IReadOnlyList<HealthCheckState> All => _view.All;

    public HealthCheckState? Find(string name) => _view.ByName.GetValueOrDefault(name);

    /// <summary>Starts the prober loops. Idempotent.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                return;
            }

            _started = true;
            foreach (var entry in _entries.Values)
            {
                StartLoops(entry);
            }
        }
    }

    /// <summary>
    /// Applies a new topology: checks whose settings (and resolved locations, fraction, unknown policy) are unchanged
    /// keep their state and loops; the others are stopped, started or replaced.
    /// </summary>
    public void Reload(TopologyConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var next = new Dictionary<string, CheckEntry>(StringComparer.Ordinal);
            var fresh = new List<CheckEntry>();
            foreach (var check in config.HealthChecks)
            {
                if (next.ContainsKey(check.Name))
                {
                    continue; // The loader rejects duplicates; first wins if one slips through.
                }

                var candidate = new CheckEntry(check, config.Checkers);
                if (_entries.TryGetValue(check.Name, out var existing) && existing.CanReplace(candidate))
                {
                    next[check.Name] = existing;
                }
                else
                {
                    next[check.Name] = candidate;
                    fresh.Add(candidate);
                }
            }

            foreach (var old in _entries.Values.Where(o => !next.TryGetValue(o.Name, out var kept) || !ReferenceEquals(kept, o)))
            {
                _retiring.Add(StopLoopsAsync(old));
            }

            _entries = next;
            var ordered = config.HealthChecks.Select(c => c.Name).Distinct(StringComparer.Ordinal).Select(n => next[n]).ToList();
            _aggregator.Install(ordered);
            _view = new View(
                [.. ordered.Select(e => e.State)],
                ordered.ToDictionary(e => e.Name, e => e.State, StringComparer.Ordinal));
            if (_started)
            {
                foreach (var entry in fresh)
                {
                    StartLoops(entry);
                }
            }

            _retiring.RemoveAll(t => t.IsCompleted);
        }
    }

    /// <summary>Feeds an observation from any checker (local or remote) into the aggregation.</summary>
    public void Report(HealthObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        _aggregator.Report(observation);
    }

    public async ValueTask DisposeAsync()
    {
        List<Task> stopping;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            stopping = [.. _retiring, .. _entries.Values.Select(StopLoopsAsync)];
            _retiring.Clear();
        }

        await Task.WhenAll(stopping).ConfigureAwait(false);
    }

    /// <summary>Test hook: true when every loop has probed everything due at <paramref name="now"/> and is waiting.</summary>
    internal bool IsSettledAt(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _entries.Values.SelectMany(e => e.Loops).All(l => l.IsWaitingBeyond(now));
        }
    }

    private void StartLoops(CheckEntry entry)
    {
        if (!entry.IsProbed || entry.Loops.Count > 0)
        {
            return;
        }

        entry.Prober = CreateProber(entry.Config);
        entry.Stopping = new CancellationTokenSource();
        var interval = entry.Config.Interval > TimeSpan.Zero ? entry.Config.Interval : TimeSpan.FromSeconds(10);
        for (var i = 0; i < entry.Locations.Length; i++)
        {
            // Stagger locations across one interval so they don't all hit the endpoint at once.
            var offset = interval * i / entry.Locations.Length;
            var loop = new ProbeLoop(entry, entry.Locations[i], offset, entry.Prober, _aggregator, _time, _logger);
            entry.Loops.Add(loop);
            loop.Start(entry.Stopping.Token);
        }
    }

    private IHealthProber CreateProber(HealthCheckConfig check)
    {
        try
        {
            return _proberFactory(check);
        }
        catch (Exception ex)
        {
            // A check the prober cannot handle (bad host, unsupported type) fails visibly instead of stopping the rest.
            HealthLog.ProberFailed(_logger, check.Name, ex);
            return new FailingProber($"invalid check: {ex.Message}");
        }
    }

    private static async Task StopLoopsAsync(CheckEntry entry)
    {
        if (entry.Stopping is null)
        {
            return;
        }

        await entry.Stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(entry.Loops.Select(l => l.Completion)).ConfigureAwait(false);
        }
        finally
        {
            entry.Stopping.Dispose();
            (entry.Prober as IDisposable)?.Dispose();
        }
    }

    private sealed record View(IReadOnlyList<HealthCheckState> All, Dictionary<string, HealthCheckState> ByName)
    {
        public static readonly View Empty = new([], new Dictionary<string, HealthCheckState>(StringComparer.Ordinal));
    }
}
