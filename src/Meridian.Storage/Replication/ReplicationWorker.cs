using System.Threading.Channels;
using Meridian.Storage.Events;
using Meridian.Storage.Store;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging;

namespace Meridian.Storage.Replication;

/// <summary>
/// Replicates journaled items on a fixed set of lanes. A key (per destination) always maps to the same lane and a
/// lane works one item at a time, so a key's changes apply in order; an item older (by source sequence) than one
/// already applied for its key is skipped, so a late old version never replaces a newer replica. Transient errors
/// retry with capped exponential backoff on the <see cref="TimeProvider"/>, holding the lane (the destination is
/// down for its other keys too); permanent errors end the item as FAILED.
/// </summary>
internal sealed class ReplicationWorker : IAsyncDisposable
{
    private const int MaxAppliedKeysPerLane = 100_000;

    private readonly ReplicationEngine _engine;
    private readonly FileObjectStore _source;
    private readonly Func<ReplicationRuleConfig, IReplicationDestination> _factory;
    private readonly Dictionary<string, IReplicationDestination> _destinations = new(StringComparer.Ordinal);
    private readonly ReplicationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<ReplicationWorkItem>[] _lanes;
    private readonly CancellationTokenSource _stop = new();
    private Task[] _running = [];

    public ReplicationWorker(ReplicationEngine engine, FileObjectStore source, Func<ReplicationRuleConfig, IReplicationDestination> factory,
        ReplicationOptions options, TimeProvider time, ILogger logger)
    {
        _engine = engine;
        _source = source;
        _factory = factory;
        _options = options;
        _time = time;
        _logger = logger;
        _lanes = Enumerable.Range(0, Math.Max(1, options.Lanes))
            .Select(_ => Channel.CreateUnbounded<ReplicationWorkItem>(new UnboundedChannelOptions { SingleReader = true })).ToArray();
    }

    public void Start() => _running = _lanes.Select(lane => Task.Run(() => RunLaneAsync(lane.Reader, _stop.Token))).ToArray();

    public void Dispatch(ReplicationWorkItem item)
    {
        var lane = (uint)HashCode.Combine(item.Bucket, item.Key, item.RuleId) % (uint)_lanes.Length;
        _lanes[lane].Writer.TryWrite(item);
    }

    private async Task RunLaneAsync(ChannelReader<ReplicationWorkItem> reader, CancellationToken token)
    {
        var applied = new Dictionary<(string Rule, string Bucket, string Key), long>();
        try
        {
            await foreach (var item in reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                try
                {
                    await ProcessAsync(item, applied, token).ConfigureAwait(false);
                }
                catch (Exception) when (token.IsCancellationRequested)
                {
                    return; // stopped mid-copy (the failure may be the cut connection): the item stays journaled
                }
                catch (Exception error)
                {
                    // A bug, not a destination error: keep the lane alive; the item stays journaled for the next start.
                    ReplicationLog.Unexpected(_logger, item.Bucket, item.Key, item.VersionId, error);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopped: unfinished items stay in the journal.
        }
    }

    private async Task ProcessAsync(ReplicationWorkItem item, Dictionary<(string, string, string), long> applied, CancellationToken token)
    {
        var rule = _engine.FindRule(item.Bucket, item.RuleId);
        var version = _source.FindBucket(item.Bucket)?.Find(item.Key, item.VersionId);
        var ordered = item.Kind != ObjectEventKind.TagsChanged;
        var keyId = (item.RuleId, item.Bucket, item.Key);
        if (rule is null || version is null || (ordered && applied.TryGetValue(keyId, out var newest) && newest > item.Sequence))
        {
            // Rule removed, version deleted by id, or superseded by a newer change of the key already applied.
            await _engine.FinishAsync(item, failed: false, null).ConfigureAwait(false);
            return;
        }
        var destination = Destination(rule);
        var delay = _options.InitialBackoff;
        while (true)
        {
            try
            {
                await ApplyAsync(destination, item, version, token).ConfigureAwait(false);
                if (ordered)
                {
                    if (applied.Count >= MaxAppliedKeysPerLane)
                    {
                        applied.Clear(); // bounded memory; order within the journal still holds for new items
                    }
                    applied[keyId] = item.Sequence;
                }
                await _engine.FinishAsync(item, failed: false, null).ConfigureAwait(false);
                return;
            }
            catch (FileNotFoundException)
            {
                await _engine.FinishAsync(item, failed: false, null).ConfigureAwait(false); // deleted by version id meanwhile
                return;
            }
            catch (Exception error) when (!token.IsCancellationRequested)
            {
                var message = ReplicationErrors.Describe(error);
                if (ReplicationErrors.IsPermanent(error))
                {
                    ReplicationLog.Failed(_logger, item.Bucket, item.Key, item.VersionId, item.RuleId, message);
                    await _engine.FinishAsync(item, failed: true, message).ConfigureAwait(false);
                    return;
                }
                ReplicationLog.Retrying(_logger, item.Bucket, item.Key, item.VersionId, item.RuleId, delay, message);
                _engine.NoteError(item, message);
                await Task.Delay(delay, _time, token).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxBackoff.Ticks));
            }
        }
    }

    private async Task ApplyAsync(IReplicationDestination destination, ReplicationWorkItem item, ObjectVersion version, CancellationToken token)
    {
        switch (item.Kind)
        {
            case ObjectEventKind.ObjectCreated:
                var bucket = _source.GetBucket(item.Bucket);
                await using (var body = new FileStream(_source.DataPath(bucket, version), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete,
                    64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan))
                {
                    await destination.PutAsync(new ReplicaObject(version), body, token).ConfigureAwait(false);
                }
                break;
            case ObjectEventKind.DeleteMarkerCreated:
                await destination.PutDeleteMarkerAsync(version.Key, version.VersionId, version.LastModified, token).ConfigureAwait(false);
                break;
            case ObjectEventKind.TagsChanged:
                await destination.SyncTagsAsync(version.Key, version.VersionId, version.Tags, token).ConfigureAwait(false);
                break;
        }
    }

    private IReplicationDestination Destination(ReplicationRuleConfig rule)
    {
        var key = ReplicationRuleMatcher.Destination(rule);
        lock (_destinations)
        {
            if (!_destinations.TryGetValue(key, out var destination))
            {
                destination = _factory(rule);
                _destinations[key] = destination;
            }
            return destination;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }
        await Task.WhenAll(_running).ConfigureAwait(false);
        lock (_destinations)
        {
            foreach (var destination in _destinations.Values)
            {
                destination.Dispose();
            }
            _destinations.Clear();
        }
        _stop.Dispose();
    }
}
