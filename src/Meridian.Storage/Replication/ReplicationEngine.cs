using System.Threading.Channels;
using Meridian.Storage.Errors;
using Meridian.Storage.Events;
using Meridian.Storage.Store;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging;

namespace Meridian.Storage.Replication;

/// <summary>
/// S3 Cross-Region Replication for one store: told of every committed change (<see cref="IObjectEventSink"/>), it
/// picks the rules that apply, journals one work item per destination (fsynced before the client's write is
/// acknowledged), marks the version PENDING and hands the items to the <see cref="ReplicationWorker"/>, which
/// replicates them and marks the version COMPLETED or FAILED. Replicas (status REPLICA) are never replicated again,
/// which is what keeps two-way replication from looping; version-id deletes are never replicated (as S3).
/// </summary>
public sealed class ReplicationEngine : IObjectEventSink, IAsyncDisposable
{
    private readonly FileObjectStore _source;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<ReplicationRuleConfig>> _rules;
    private readonly Func<string, IReadOnlyList<ReplicationRuleConfig>>? _parseXml;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Xml, IReadOnlyList<ReplicationRuleConfig> Rules)> _xmlRules = new(StringComparer.Ordinal);
    private readonly ReplicationJournal _journal;
    private readonly ReplicationWorker _worker;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ReplicationMetrics> _metrics = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Bucket, string Key, string VersionId), (int Remaining, bool Failed)> _outstanding = [];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<long> _finished = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private Task _forgetting = Task.CompletedTask;

    internal ReplicationEngine(FileObjectStore source, IReadOnlyDictionary<string, IReadOnlyList<ReplicationRuleConfig>> rules,
        Func<ReplicationRuleConfig, IReplicationDestination> destinations, string journalDirectory, ReplicationOptions options, TimeProvider time, ILogger logger,
        Func<string, IReadOnlyList<ReplicationRuleConfig>>? parseXml = null)
    {
        _source = source;
        _rules = rules;
        _parseXml = parseXml;
        _time = time;
        _logger = logger;
        _journal = new ReplicationJournal(journalDirectory);
        foreach (var (bucket, list) in rules)
        {
            foreach (var rule in list)
            {
                _metrics[MetricsKey(bucket, rule.Id)] = new ReplicationMetrics(source.Name, bucket, rule.Id, ReplicationRuleMatcher.Destination(rule));
            }
        }
        _worker = new ReplicationWorker(this, source, destinations, options, time, logger);
    }

    public string Store => _source.Name;

    /// <summary>The source buckets this replicator has rules for.</summary>
    public IReadOnlyList<string> Buckets => _source.Buckets.Select(b => b.Name).Where(HasRules).ToArray();

    public bool HasRules(string bucket) => RulesFor(bucket).Count > 0;

    /// <summary>
    /// The topology's rules of a bucket; without any, those set with PutBucketReplication (one configuration per
    /// bucket, as S3: the topology file wins when both exist).
    /// </summary>
    private IReadOnlyList<ReplicationRuleConfig> RulesFor(string bucket)
    {
        if (_rules.TryGetValue(bucket, out var rules) && rules.Count > 0)
        {
            return rules;
        }
        if (_parseXml is null || _source.FindBucket(bucket)?.Settings.ReplicationXml is not { } xml)
        {
            return [];
        }
        if (_xmlRules.TryGetValue(bucket, out var cached) && ReferenceEquals(cached.Xml, xml))
        {
            return cached.Rules;
        }
        var parsed = _parseXml(xml);
        foreach (var rule in parsed)
        {
            _metrics.TryAdd(MetricsKey(bucket, rule.Id), new ReplicationMetrics(_source.Name, bucket, rule.Id, ReplicationRuleMatcher.Destination(rule)));
        }
        _xmlRules[bucket] = (xml, parsed);
        return parsed;
    }

    internal ReplicationJournal Journal => _journal;

    private IReadOnlyList<ReplicationWorkItem> _owed = [];

    /// <summary>
    /// Opens the journal (what a restart or crash left owed) so changes can be journaled. Call before the store takes
    /// requests; then <see cref="Resume"/> once the store is open.
    /// </summary>
    public void Start()
    {
        _owed = _journal.Open();
        foreach (var item in _owed)
        {
            Track(item);
        }
    }

    /// <summary>Starts the worker on the owed items and everything journaled since (the store's files must be open).</summary>
    public void Resume()
    {
        if (_owed.Count > 0)
        {
            ReplicationLog.Resumed(_logger, _source.Name, _owed.Count);
        }
        foreach (var item in _owed)
        {
            if (item.Kind != ObjectEventKind.TagsChanged)
            {
                // PENDING is written without fsync: after a crash the journal is what says it, so say it again.
                SetStatusAsync(item.Bucket, item.Key, item.VersionId, "PENDING").GetAwaiter().GetResult();
            }
            _worker.Dispatch(item);
        }
        _owed = [];
        _forgetting = Task.Run(() => ForgetFinishedAsync(_stop.Token));
        _worker.Start();
    }

    /// <summary>
    /// Finished items leave the journal in batches, each after one syncfs: by then the statuses they wrote (without
    /// fsync) are on disk, so the journal never forgets an item whose COMPLETED/FAILED a crash could still lose.
    /// </summary>
    private async Task ForgetFinishedAsync(CancellationToken token)
    {
        var reader = _finished.Reader;
        var batch = new List<long>();
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                batch.Clear();
                while (reader.TryRead(out var id))
                {
                    batch.Add(id);
                }
                UnsyncedFile.SyncFileSystem(_source.DataDirectory);
                await _journal.MarkDoneAsync(batch).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping: unforgotten items replay at the next start (copies are idempotent).
        }
    }

    public async ValueTask OnCommittedAsync(ObjectEvent change, CancellationToken cancellationToken)
    {
        if (change.Kind is ObjectEventKind.VersionDeleted or ObjectEventKind.ObjectRemoved ||
            RulesFor(change.Bucket) is not { Count: > 0 } rules ||
            _source.FindBucket(change.Bucket) is not { } bucket || bucket.Find(change.Key, change.VersionId) is not { } version)
        {
            return;
        }
        // Replicas are never replicated again; their tag changes are (S3's replica modification sync).
        if (version.ReplicationStatus == ReplicaStamp.Status && change.Kind != ObjectEventKind.TagsChanged)
        {
            return;
        }
        await EnqueueAsync(bucket, version, change.Kind, change.Time, rules, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Journals one item per matching destination and marks the version PENDING; returns how many were queued.</summary>
    private async Task<int> EnqueueAsync(Bucket bucket, ObjectVersion version, ObjectEventKind kind, DateTimeOffset committedAt,
        IReadOnlyList<ReplicationRuleConfig> rules, CancellationToken token)
    {
        var matched = ReplicationRuleMatcher.Select(rules, kind, version);
        if (matched.Count == 0)
        {
            return 0;
        }
        var drafts = matched.Select(rule => new ReplicationWorkItem
        {
            Id = 0, Kind = kind, Bucket = bucket.Name, Key = version.Key, VersionId = version.VersionId, Sequence = version.Sequence,
            RuleId = rule.Id, Size = kind == ObjectEventKind.ObjectCreated ? version.Size : 0, CommittedAt = committedAt,
        }).ToArray();
        var items = await _journal.AppendAsync(drafts, token).ConfigureAwait(false);
        foreach (var item in items)
        {
            Track(item);
        }
        if (kind != ObjectEventKind.TagsChanged)
        {
            await SetStatusAsync(bucket.Name, version.Key, version.VersionId, "PENDING").ConfigureAwait(false);
        }
        foreach (var item in items)
        {
            _worker.Dispatch(item);
        }
        return items.Count;
    }

    private void Track(ReplicationWorkItem item)
    {
        Metrics(item)?.Enqueued(item.Size);
        if (item.Kind == ObjectEventKind.TagsChanged)
        {
            return;
        }
        lock (_gate)
        {
            var id = (item.Bucket, item.Key, item.VersionId);
            _outstanding[id] = _outstanding.TryGetValue(id, out var o) ? (o.Remaining + 1, o.Failed) : (1, false);
        }
    }

    internal ReplicationRuleConfig? FindRule(string bucket, string ruleId) =>
        RulesFor(bucket).FirstOrDefault(r => r.Id == ruleId);

    /// <summary>Called by the worker when an item is done for good: journal, metrics, and the version's status.</summary>
    internal async Task FinishAsync(ReplicationWorkItem item, bool failed, string? error)
    {
        var metrics = Metrics(item);
        if (error is not null)
        {
            metrics?.Error(error);
        }
        var latency = failed || item.Kind == ObjectEventKind.TagsChanged ? (TimeSpan?)null : _time.GetUtcNow() - item.CommittedAt;
        metrics?.Finished(item.Size, failed, latency);
        string? status = null;
        lock (_gate)
        {
            var id = (item.Bucket, item.Key, item.VersionId);
            if (item.Kind != ObjectEventKind.TagsChanged && _outstanding.TryGetValue(id, out var o))
            {
                o = (o.Remaining - 1, o.Failed || failed);
                if (o.Remaining <= 0)
                {
                    _outstanding.Remove(id);
                    status = o.Failed ? "FAILED" : "COMPLETED";
                }
                else
                {
                    _outstanding[id] = o;
                }
            }
        }
        if (status is not null)
        {
            await SetStatusAsync(item.Bucket, item.Key, item.VersionId, status).ConfigureAwait(false);
        }
        _finished.Writer.TryWrite(item.Id);
    }

    internal void NoteError(ReplicationWorkItem item, string message) => Metrics(item)?.Error(message);

    private async Task SetStatusAsync(string bucketName, string key, string versionId, string status)
    {
        if (_source.FindBucket(bucketName) is not { } bucket || bucket.Find(key, versionId) is not { } version)
        {
            return;
        }
        try
        {
            await _source.UpdateVersionAsync(bucket, version, v => v with { ReplicationStatus = status }, null, CancellationToken.None, synced: false)
                .ConfigureAwait(false);
        }
        catch (S3Exception e) when (e.Code == "NoSuchVersion")
        {
            // Deleted by version id meanwhile: nothing left to label.
        }
    }

    /// <summary>
    /// S3 Batch Replication's job: queues every current version of the bucket that no rule has replicated yet
    /// (status neither COMPLETED nor REPLICA). Reports (examined, queued) as it goes; returns the totals.
    /// </summary>
    public async Task<ReplicateExistingResult> ReplicateExistingAsync(string bucketName, Func<ReplicateExistingResult, Task>? progress, CancellationToken token)
    {
        var bucket = _source.GetBucket(bucketName);
        if (RulesFor(bucketName) is not { Count: > 0 } rules)
        {
            throw new InvalidOperationException($"bucket '{bucketName}' in store '{_source.Name}' has no replication rules");
        }
        var candidates = new List<ObjectVersion>();
        var examined = 0;
        bucket.Visit("", (_, versions) =>
        {
            examined++;
            if (versions.Count > 0 && versions[0] is { IsDeleteMarker: false } current && current.ReplicationStatus is not ("COMPLETED" or ReplicaStamp.Status))
            {
                candidates.Add(current);
            }
            return true;
        });
        var queued = 0;
        for (var i = 0; i < candidates.Count; i++)
        {
            token.ThrowIfCancellationRequested();
            queued += await EnqueueAsync(bucket, candidates[i], ObjectEventKind.ObjectCreated, _time.GetUtcNow(), rules, token).ConfigureAwait(false) > 0 ? 1 : 0;
            if ((i + 1) % 100 == 0 && progress is not null)
            {
                await progress(new ReplicateExistingResult(bucketName, examined, i + 1, queued)).ConfigureAwait(false);
            }
        }
        var result = new ReplicateExistingResult(bucketName, examined, candidates.Count, queued);
        if (progress is not null)
        {
            await progress(result).ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>Per-rule metrics (S3 RTC's operations pending, bytes pending, latency).</summary>
    public IReadOnlyList<ReplicationRuleStatus> Snapshot() =>
        _metrics.Values.Select(m => m.Snapshot()).OrderBy(s => s.Bucket, StringComparer.Ordinal).ThenBy(s => s.Rule, StringComparer.Ordinal).ToArray();

    /// <summary>Waits until nothing is owed (tests, drills); false on timeout.</summary>
    public async Task<bool> WaitIdleAsync(TimeSpan timeout, CancellationToken token = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_journal.LiveCount > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(10, token).ConfigureAwait(false);
        }
        return true;
    }

    private ReplicationMetrics? Metrics(ReplicationWorkItem item) => _metrics.GetValueOrDefault(MetricsKey(item.Bucket, item.RuleId));

    private static string MetricsKey(string bucket, string rule) => bucket + "\n" + rule;

    /// <summary>Stops the worker without draining: what is owed stays in the journal for the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        await _worker.DisposeAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        await _forgetting.ConfigureAwait(false);
        _journal.Dispose();
        _stop.Dispose();
    }
}
