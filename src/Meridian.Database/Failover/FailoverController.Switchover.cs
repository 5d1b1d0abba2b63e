namespace Meridian.Database.Failover;

/// <summary>Planned switchover: the writer moves with no data loss.</summary>
public sealed partial class FailoverController
{
    /// <summary>How often the switchover re-probes while it waits.</summary>
    private static readonly TimeSpan SwitchoverPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Moves the writer to <paramref name="target"/> (a member name, or a region: its first replica): waits until the
    /// target has nearly caught up, stops the writer cleanly (its walsenders ship everything, shutdown checkpoint
    /// included), waits until the target has received that checkpoint, promotes the target, and rejoins the former
    /// writer as its replica. Aborts (restarting the former writer as it was) when the target does not catch up
    /// within <paramref name="timeout"/>. Returns the outcome; throws <see cref="DatabaseException"/> when refused or aborted.
    /// </summary>
    public async Task<FailoverRecord> SwitchoverAsync(string target, TimeSpan timeout, CancellationToken token)
    {
        await _gate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await ObserveAsync(token).ConfigureAwait(false);
            var to = ResolveTarget(target);
            var from = Writer;
            var started = _time.GetUtcNow();
            Transition(FailoverState.SwitchoverInProgress, $"switchover from '{from}' to '{to}' requested");
            try
            {
                await WaitAsync(() => _members[from].Replication.FirstOrDefault(r => r.Member == to) is { ReplayLagBytes: < 16 * 1024 * 1024 },
                    timeout, $"'{to}' did not catch up with '{from}' within {timeout.TotalSeconds:0} s", token).ConfigureAwait(false);
            }
            catch (DatabaseException ex)
            {
                Transition(FailoverState.Healthy, $"switchover aborted before anything changed: {ex.Message}");
                throw;
            }

            var final = await _actions.StopCleanlyAsync(from, token).ConfigureAwait(false);
            Record(DatabaseEventKind.SwitchoverStep, from, $"'{from}' stopped cleanly; its last checkpoint is at {Lsn.Format(final)}");
            try
            {
                await WaitAsync(() => _members[to].WalPosition > final, timeout,
                    $"'{to}' did not receive '{from}''s final checkpoint {Lsn.Format(final)} within {timeout.TotalSeconds:0} s", token).ConfigureAwait(false);
            }
            catch (DatabaseException ex)
            {
                await _actions.StartAsync(from, token).ConfigureAwait(false);
                Transition(FailoverState.Healthy, $"switchover aborted, '{from}' restarted as the writer: {ex.Message}");
                throw;
            }

            Record(DatabaseEventKind.SwitchoverStep, to, $"'{to}' has received everything up to {Lsn.Format(_members[to].WalPosition ?? 0)}; promoting it");
            var followers = _members.Values.Where(o => o.Member != from && o.Member != to && o.Reachable).Select(o => o.Member).ToList();
            var synchronous = SynchronousNames(to, followers.Append(from));
            var done = await _actions.PromoteAsync(to, followers, synchronous, token).ConfigureAwait(false);
            Writer = to;
            _appliedSynchronousNames = synchronous;
            LastWriterPosition = null;
            var record = new FailoverRecord(_time.GetUtcNow(), true, from, to, 0, _time.GetUtcNow() - started, $"planned switchover to '{to}'");
            LastFailover = record;
            Record(DatabaseEventKind.Promoted, to, done);
            try
            {
                var how = await _actions.RejoinAsync(from, to, token).ConfigureAwait(false);
                Record(DatabaseEventKind.Rejoined, from, $"'{from}' is a replica of '{to}' ({how})");
                Transition(FailoverState.Healthy, $"switchover complete: '{to}' is the writer, '{from}' its replica");
            }
            catch (DatabaseException ex)
            {
                _pendingRejoin.Add(from);
                Record(DatabaseEventKind.RejoinFailed, from, $"rejoin of '{from}' failed: {ex.Message}");
                Transition(FailoverState.Promoted, $"switchover complete: '{to}' is the writer; '{from}' is stopped and fenced until it rejoins");
            }
            return record;
        }
        finally
        {
            _gate.Release();
        }
    }

    private string ResolveTarget(string target)
    {
        if (State != FailoverState.Healthy)
        {
            throw new DatabaseException($"cannot switch over while the cluster is {State} ({StateReason})");
        }
        var member = _cluster.FindMember(target)
            ?? _cluster.Members.FirstOrDefault(m => m.Region == target && m.Name != Writer)
            ?? throw new DatabaseException($"'{target}' is neither a member nor a region with a replica of cluster '{Cluster}' " +
                $"(members: {string.Join(", ", _cluster.Members.Select(m => $"{m.Name} ({m.Region})"))})");
        if (member.Name == Writer)
        {
            throw new DatabaseException($"'{member.Name}' is already the writer");
        }
        if (!_members.TryGetValue(member.Name, out var o) || !o.IsReplica)
        {
            throw new DatabaseException($"'{member.Name}' is not a reachable replica ({o?.Error ?? "not in recovery"}); cannot switch over to it");
        }
        if (!_members[Writer].IsWritable)
        {
            throw new DatabaseException($"the writer '{Writer}' is not accepting writes; a switchover needs it (failover handles a dead writer)");
        }
        return member.Name;
    }

    /// <summary>Re-probes every <see cref="SwitchoverPoll"/> until <paramref name="done"/>; throws with <paramref name="failure"/> after <paramref name="timeout"/>.</summary>
    private async Task WaitAsync(Func<bool> done, TimeSpan timeout, string failure, CancellationToken token)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (true)
        {
            await ObserveAsync(token).ConfigureAwait(false);
            if (done())
            {
                return;
            }
            if (_time.GetUtcNow() >= deadline)
            {
                throw new DatabaseException(failure);
            }
            await Task.Delay(SwitchoverPoll, _time, token).ConfigureAwait(false);
        }
    }
}
