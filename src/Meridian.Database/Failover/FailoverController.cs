using Meridian.Database.Monitoring;
using Meridian.Topology.Model;

namespace Meridian.Database.Failover;

/// <summary>
/// The failover state machine of one cluster. Each <see cref="TickAsync"/> probes every member, then:
/// <list type="bullet">
/// <item>Guard (every state): a writable member that is not the designated writer is fenced at once: never two writers.</item>
/// <item>Healthy/Promoted/Rejoining → PrimarySuspect when the writer fails a check (unreachable, or in recovery).</item>
/// <item>PrimarySuspect → back when it answers again; after <c>unhealthy_for</c> → Promoting, or ReadOnly when no
/// replica is reachable or the best one is behind by more than <c>max_lag_on_failover</c> (the event says which).</item>
/// <item>Promoting: fence the former writer (stop it, make it come back as a replica), promote the replica with the
/// most WAL (ties: the former writer's region, then declaration order) → Promoted; on failure → ReadOnly (retried).</item>
/// <item>Promoted → Rejoining when the former writer is running again (it cannot write: it was fenced) → Healthy once
/// it is rewound into a replica; a failed rejoin goes back to Promoted and is retried when it is seen again.</item>
/// <item>ReadOnly → Healthy when the writer returns; → Promoting as soon as a replica becomes eligible.</item>
/// </list>
/// Time comes from the injected <see cref="TimeProvider"/>; every transition and decision is a <see cref="DatabaseEvent"/>.
/// </summary>
public sealed partial class FailoverController
{
    private readonly DatabaseClusterConfig _cluster;
    private readonly IMemberProbe _probe;
    private readonly IClusterActions _actions;
    private readonly TimeProvider _time;
    private readonly DatabaseEventLog _events;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _pendingRejoin = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _downSince = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, MemberObservation> _members = new Dictionary<string, MemberObservation>();
    private DateTimeOffset? _suspectSince;
    private string? _lastBlockedReason;
    private string _appliedSynchronousNames;
    private Task<string>? _rejoin;
    private string? _rejoining;

    public FailoverController(DatabaseClusterConfig cluster, string writer, IMemberProbe probe, IClusterActions actions, TimeProvider time, DatabaseEventLog events)
    {
        _cluster = cluster;
        Writer = writer;
        _probe = probe;
        _actions = actions;
        _time = time;
        _events = events;
        _appliedSynchronousNames = SynchronousNames(writer, cluster.Members.Select(m => m.Name));
    }

    public string Cluster => _cluster.Name;

    public FailoverState State { get; private set; } = FailoverState.Starting;

    /// <summary>Why the cluster is in its state (the reason of the last transition).</summary>
    public string StateReason { get; private set; } = "no check has run yet";

    /// <summary>The designated writer: the only member allowed to accept writes.</summary>
    public string Writer { get; private set; }

    /// <summary>The writer's last known WAL position (the RPO reference when it fails).</summary>
    public long? LastWriterPosition { get; private set; }

    public FailoverRecord? LastFailover { get; private set; }

    /// <summary>Checks completed so far (status and tests: "N more checks have run" without sleeping).</summary>
    public long ChecksCompleted => Interlocked.Read(ref _checksCompleted);

    private long _checksCompleted;

    public IReadOnlyDictionary<string, MemberObservation> Members => _members;

    public IReadOnlyCollection<string> PendingRejoin => _pendingRejoin;

    /// <summary>A rejoin runs in the background (it takes seconds); true until it has finished.</summary>
    internal bool RejoinRunning => _rejoin is { IsCompleted: false };

    /// <summary>True while the writer is up and may take writes (what db-writer and the sample app's /health use).</summary>
    public bool AcceptsWrites =>
        State is FailoverState.Healthy or FailoverState.Promoted or FailoverState.Rejoining
        && _members.TryGetValue(Writer, out var w) && w.IsWritable;

    public async Task TickAsync(CancellationToken token)
    {
        await _gate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await ObserveAsync(token).ConfigureAwait(false);
            await GuardAsync(token).ConfigureAwait(false);
            await StepAsync(token).ConfigureAwait(false);
            Interlocked.Increment(ref _checksCompleted);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ObserveAsync(CancellationToken token)
    {
        var probes = _cluster.Members.Select(m => _probe.ProbeAsync(m, token)).ToArray();
        var observations = await Task.WhenAll(probes).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var previous = _members;
        _members = observations.ToDictionary(o => o.Member, StringComparer.Ordinal);
        foreach (var o in observations)
        {
            var wasUp = previous.TryGetValue(o.Member, out var p) ? p.Reachable : (bool?)null;
            if (!o.Reachable && wasUp != false)
            {
                _downSince[o.Member] = now;
                Record(DatabaseEventKind.MemberDown, o.Member, o.Error ?? "unreachable");
            }
            else if (o.Reachable && wasUp != true)
            {
                _downSince.Remove(o.Member);
                Record(DatabaseEventKind.MemberUp, o.Member, o.InRecovery ? $"reachable, replica on timeline {o.Timeline}" : $"reachable, accepting writes on timeline {o.Timeline}");
            }
        }
        if (_members.TryGetValue(Writer, out var writer) && writer.IsWritable)
        {
            LastWriterPosition = writer.WalPosition;
        }
    }

    /// <summary>Never two writers: any other writable member is fenced, whatever the state.</summary>
    private async Task GuardAsync(CancellationToken token)
    {
        foreach (var rogue in _members.Values.Where(o => o.IsWritable && o.Member != Writer).ToList())
        {
            var reason = $"'{rogue.Member}' accepts writes (timeline {rogue.Timeline}) but '{Writer}' is the writer";
            try
            {
                var done = await _actions.FenceAsync(rogue.Member, Writer, token).ConfigureAwait(false);
                Record(DatabaseEventKind.Fenced, rogue.Member, $"{reason}: {done}");
                _pendingRejoin.Add(rogue.Member);
            }
            catch (DatabaseException ex)
            {
                Record(DatabaseEventKind.Error, rogue.Member, $"{reason} and fencing it failed: {ex.Message}");
            }
        }
    }

    private async Task StepAsync(CancellationToken token)
    {
        var now = _time.GetUtcNow();
        var writer = _members[Writer];
        switch (State)
        {
            case FailoverState.Starting or FailoverState.Healthy or FailoverState.Promoted or FailoverState.Rejoining:
                if (!writer.IsWritable)
                {
                    _suspectSince = now;
                    Transition(FailoverState.PrimarySuspect, $"writer '{Writer}' failed a check: {WriterProblem(writer)}");
                    return;
                }
                if (State == FailoverState.Starting)
                {
                    Transition(_pendingRejoin.Count > 0 ? FailoverState.Promoted : FailoverState.Healthy, $"writer '{Writer}' accepts writes");
                }
                await MaintainSynchronousAsync(now, token).ConfigureAwait(false);
                await MaintainRejoinAsync(token).ConfigureAwait(false);
                return;
            case FailoverState.PrimarySuspect:
                if (writer.IsWritable)
                {
                    Transition(ResumedState(), $"writer '{Writer}' answered again after {Seconds(now - _suspectSince!.Value)}");
                    return;
                }
                if (now - _suspectSince!.Value >= _cluster.Failover.UnhealthyFor)
                {
                    await TryPromoteAsync(now, token).ConfigureAwait(false);
                }
                return;
            case FailoverState.ReadOnly:
                if (writer.IsWritable)
                {
                    _lastBlockedReason = null;
                    Transition(ResumedState(), $"writer '{Writer}' is back and accepts writes");
                    return;
                }
                await TryPromoteAsync(now, token).ConfigureAwait(false);
                return;
        }
    }

    private FailoverState ResumedState() => _rejoin is not null ? FailoverState.Rejoining
        : _pendingRejoin.Count > 0 ? FailoverState.Promoted : FailoverState.Healthy;

    private async Task TryPromoteAsync(DateTimeOffset now, CancellationToken token)
    {
        // No durations in here: a refusal is logged again only when its reason changes.
        var down = $"writer '{Writer}' is down ({WriterProblem(_members[Writer])})";
        if (!_cluster.Failover.Automatic)
        {
            Block($"{down}; automatic failover is off (failover.automatic: false): read-only until it returns or `meridian db switchover`");
            return;
        }
        var candidates = _members.Values.Where(o => o.Member != Writer && o.IsReplica && !_pendingRejoin.Contains(o.Member) && o.WalPosition is not null).ToList();
        if (candidates.Count == 0)
        {
            var others = _members.Values.Where(o => o.Member != Writer)
                .Select(o => o.Reachable ? $"'{o.Member}' {(o.InRecovery ? "has no WAL position" : "is fenced")}" : $"'{o.Member}' is down").ToList();
            Block($"{down} and no replica can be promoted ({(others.Count == 0 ? "the cluster has no replicas" : string.Join(", ", others))}): read-only, not split");
            return;
        }
        var oldRegion = _cluster.FindMember(Writer)?.Region;
        var best = candidates
            .OrderByDescending(o => o.WalPosition)
            .ThenBy(o => _cluster.FindMember(o.Member)?.Region == oldRegion ? 0 : 1)
            .ThenBy(o => _cluster.Members.ToList().FindIndex(m => m.Name == o.Member))
            .First();
        if (LastWriterPosition is not { } last)
        {
            Block($"{down}; its last WAL position was never observed, so the data a promotion would lose cannot be bounded: not promoting (use `meridian db switchover`)");
            return;
        }
        var lag = Math.Max(0, last - best.WalPosition!.Value);
        if (lag > _cluster.Failover.MaxLagOnFailover)
        {
            Block($"{down}; best replica '{best.Member}' is {lag} bytes behind the writer's last known position {Lsn.Format(last)}, " +
                $"over max_lag_on_failover ({_cluster.Failover.MaxLagOnFailover} bytes): not promoting, read-only");
            return;
        }
        await PromoteAsync(best.Member, lag, now, $"{down} for {Seconds(now - (_suspectSince ?? now))}", token).ConfigureAwait(false);
    }

    private async Task PromoteAsync(string candidate, long lag, DateTimeOffset now, string why, CancellationToken token)
    {
        var old = Writer;
        _lastBlockedReason = null;
        Transition(FailoverState.Promoting, $"{why}; promoting '{candidate}' ({_cluster.FindMember(candidate)?.Region}), {lag} bytes behind");
        try
        {
            Record(DatabaseEventKind.Fenced, old, await _actions.FenceAsync(old, candidate, token).ConfigureAwait(false));
        }
        catch (DatabaseException ex)
        {
            // It is unreachable from here; the guard fences it the moment it is seen writable again.
            Record(DatabaseEventKind.Fenced, old, $"could not stop it now ({ex.Message}); it is fenced when it is seen again");
        }
        var followers = _members.Values.Where(o => o.Member != old && o.Member != candidate && o.Reachable).Select(o => o.Member).ToList();
        var synchronous = SynchronousNames(candidate, followers);
        try
        {
            var done = await _actions.PromoteAsync(candidate, followers, synchronous, token).ConfigureAwait(false);
            Writer = candidate;
            _appliedSynchronousNames = synchronous;
            _pendingRejoin.Add(old);
            _pendingRejoin.Remove(candidate);
            LastFailover = new FailoverRecord(_time.GetUtcNow(), false, old, candidate, lag, now - (_suspectSince ?? now), why);
            Record(DatabaseEventKind.Promoted, candidate, done);
            Transition(FailoverState.Promoted, $"'{candidate}' is the writer; '{old}' is fenced out until it rejoins as a replica");
        }
        catch (DatabaseException ex)
        {
            Block($"promotion of '{candidate}' failed: {ex.Message}; retrying at the next check");
        }
    }

    /// <summary>A refused promotion: ReadOnly, with an event only when the reason changes (not every second).</summary>
    private void Block(string reason)
    {
        if (reason != _lastBlockedReason)
        {
            _lastBlockedReason = reason;
            Record(DatabaseEventKind.PromotionBlocked, null, reason);
        }
        Transition(FailoverState.ReadOnly, reason);
    }

    private async Task MaintainRejoinAsync(CancellationToken token)
    {
        if (_rejoin is { IsCompleted: true } finished)
        {
            var member = _rejoining!;
            _rejoin = null;
            _rejoining = null;
            try
            {
                var how = await finished.ConfigureAwait(false);
                _pendingRejoin.Remove(member);
                Record(DatabaseEventKind.Rejoined, member, $"'{member}' is a replica of '{Writer}' again ({how})");
            }
            catch (Exception ex) when (ex is DatabaseException or IOException or UnauthorizedAccessException)
            {
                Record(DatabaseEventKind.RejoinFailed, member, $"rejoin of '{member}' failed: {ex.Message}; retried when it is seen again");
            }
        }
        if (_rejoin is null)
        {
            // A fenced former writer that is running again (it came back as a replica that cannot write) is rewound now.
            var ready = _pendingRejoin.FirstOrDefault(m => _members.TryGetValue(m, out var o) && o.Reachable);
            if (ready is not null)
            {
                _rejoining = ready;
                _rejoin = _actions.RejoinAsync(ready, Writer, CancellationToken.None);
                Transition(FailoverState.Rejoining, $"former writer '{ready}' is running again; rewinding it into a replica of '{Writer}'");
                return;
            }
        }
        var target = ResumedState();
        if (target != State)
        {
            Transition(target, target == FailoverState.Healthy ? $"writer '{Writer}' accepts writes and every member is in place"
                : $"'{string.Join("', '", _pendingRejoin)}' stays fenced until it returns");
        }
    }

    /// <summary>
    /// Synchronous standbys that are down longer than unhealthy_for leave synchronous_standby_names (writes would block on
    /// them), and return when they stream from the writer again. "In recovery" is not enough: after a failover a
    /// returning standby may still follow the old primary or be catching up, and naming it would block every commit on
    /// the new writer until it streams (seen in the demo's region-outage drill: ~13 s of stalled writes after the restore).
    /// </summary>
    private async Task MaintainSynchronousAsync(DateTimeOffset now, CancellationToken token)
    {
        var streaming = _members.TryGetValue(Writer, out var writer) && writer.IsWritable
            ? writer.Replication.Where(r => r.State == "streaming").Select(r => r.Member).ToHashSet(StringComparer.Ordinal)
            : [];
        var eligible = _members.Values
            .Where(o => o.Member != Writer && !_pendingRejoin.Contains(o.Member)
                        && ((o.IsReplica && streaming.Contains(o.Member))
                            || (!o.Reachable && _downSince.TryGetValue(o.Member, out var since) && now - since < _cluster.Failover.UnhealthyFor)))
            .Select(o => o.Member);
        var desired = SynchronousNames(Writer, eligible);
        if (desired == _appliedSynchronousNames)
        {
            return;
        }
        try
        {
            await _actions.SetSynchronousAsync(Writer, desired, token).ConfigureAwait(false);
            Record(DatabaseEventKind.SynchronousChanged, Writer, desired.Length == 0
                ? $"no synchronous standby is up: replication is asynchronous until one returns (was {_appliedSynchronousNames})"
                : $"synchronous_standby_names = '{desired}' (was '{_appliedSynchronousNames}')");
            _appliedSynchronousNames = desired;
        }
        catch (DatabaseException ex)
        {
            Record(DatabaseEventKind.Error, Writer, $"could not set synchronous_standby_names to '{desired}': {ex.Message}");
        }
    }

    private string SynchronousNames(string writer, IEnumerable<string> available)
    {
        var up = available.ToHashSet(StringComparer.Ordinal);
        var names = _cluster.Members.Where(m => m.Synchronous && m.Name != writer && up.Contains(m.Name)).Select(m => m.Name).ToList();
        return names.Count == 0 ? "" : $"FIRST 1 ({string.Join(", ", names)})";
    }

    private static string WriterProblem(MemberObservation writer) =>
        !writer.Reachable ? writer.Error ?? "unreachable" : writer.InRecovery ? "it is in recovery (read-only)" : "ok";

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.0} s";

    private void Transition(FailoverState to, string reason)
    {
        StateReason = reason;
        if (to == State)
        {
            return;
        }
        var from = State;
        State = to;
        _events.Add(new DatabaseEvent(_time.GetUtcNow(), Cluster, DatabaseEventKind.Transition, from, to, null, reason));
    }

    private void Record(DatabaseEventKind kind, string? member, string reason) =>
        _events.Add(new DatabaseEvent(_time.GetUtcNow(), Cluster, kind, State, State, member, reason));
}
