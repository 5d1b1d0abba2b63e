using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Meridian.Drills.Data;

/// <summary>
/// The drill's object writer: PUTs numbered objects into the drilled region's bucket at a fixed rate, as the region's
/// app would, and moves to the surviving region's bucket after its first failed write (the app failing over). During
/// the outage it lists the surviving bucket to find what was acknowledged but not replicated (the object RPO), and
/// after the restore it waits, bounded, for replication to deliver the rest.
/// </summary>
public sealed class ObjectWriteProbe : IDisposable
{
    private const int MaxListedMissing = 20;

    private readonly ObjectDrillOptions _options;
    private readonly TimeProvider _time;
    private readonly AmazonS3Client _source;
    private readonly AmazonS3Client _replica;
    private readonly string _runPrefix;
    private readonly ConcurrentDictionary<int, ObjectWrite> _writes = new();
    private long _start;
    private long _outageTicks = long.MaxValue;
    private volatile bool _failedOver;
    private ReplicationBacklog? _backlog;
    private HashSet<string>? _presentDuringOutage;
    private string? _listFailure;

    public ObjectWriteProbe(ObjectDrillOptions options, TimeProvider time, TimeSpan requestTimeout)
    {
        if (options.Rate is < 1 or > 500)
        {
            throw new DrillException($"object write rate {options.Rate}/s is outside 1..500");
        }

        _options = options;
        _time = time;
        _runPrefix = $"{options.Prefix}{time.GetUtcNow():yyyyMMddTHHmmss}-{Guid.NewGuid().ToString("N")[..8]}/";
        _source = Client(options.SourceEndpoint, options.SourceRegion, requestTimeout);
        _replica = Client(options.ReplicaEndpoint, options.ReplicaRegion, requestTimeout);
    }

    /// <summary>Where this run's objects go: <c>{prefix}{timestamp}-{id}/</c>.</summary>
    public string RunPrefix => _runPrefix;

    private TimeSpan OutageAt => TimeSpan.FromTicks(Interlocked.Read(ref _outageTicks));

    /// <summary>Writes until <paramref name="stop"/>; offsets count from <paramref name="start"/> (a <see cref="TimeProvider"/> timestamp).</summary>
    public async Task RunAsync(long start, CancellationToken stop)
    {
        _start = start;
        var body = new byte[_options.ObjectBytes];
        Random.Shared.NextBytes(body);
        var inFlight = new List<Task>();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / _options.Rate), _time);
        var n = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                inFlight.RemoveAll(t => t.IsCompleted);
                inFlight.Add(WriteAsync(n++, body));
            }
        }
        catch (OperationCanceledException)
        {
            // The drill ended.
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    /// <summary>Marks the outage's start and asks for the replication backlog at that moment.</summary>
    public async Task OnOutageAsync(TimeSpan at, CancellationToken token)
    {
        Interlocked.Exchange(ref _outageTicks, at.Ticks);
        if (_options.Backlog is { } backlog)
        {
            try
            {
                _backlog = await backlog(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                _backlog = null; // not known: the report says so
            }
        }
    }

    /// <summary>During the outage (just before the restore): what the surviving region holds of this run.</summary>
    public async Task BeforeRestoreAsync(CancellationToken token)
    {
        try
        {
            _presentDuringOutage = await ListSurvivorAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsClientFailure(ex))
        {
            // Counted as all missing (the conservative answer), and the report says why.
            _listFailure = $"the surviving bucket could not be listed during the outage ({ex.Message}): every object acknowledged before it is counted missing";
        }
    }

    /// <summary>After the restore: waits (bounded) for owed objects to arrive, then reports.</summary>
    public async Task<ObjectTierReport> FinishAsync(CancellationToken token)
    {
        var outage = OutageAt;
        var writes = _writes.Values.OrderBy(w => w.N).ToArray();
        var beforeOutage = writes.Where(w => w.AckedAt is { } acked && acked < outage && !w.ToSurvivor).Select(w => w.Key).ToArray();
        var duringOutage = _presentDuringOutage ?? [];
        var missing = beforeOutage.Where(k => !duringOutage.Contains(k)).ToArray();

        var deadline = _time.GetTimestamp();
        var stillMissing = missing;
        while (stillMissing.Length > 0 && _time.GetElapsedTime(deadline) < _options.RecoveryWait)
        {
            try
            {
                var present = await ListSurvivorAsync(token).ConfigureAwait(false);
                stillMissing = missing.Where(k => !present.Contains(k)).ToArray();
            }
            catch (Exception ex) when (IsClientFailure(ex))
            {
                // Still recovering: try again until RecoveryWait is over.
            }

            if (stillMissing.Length > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), _time, token).ConfigureAwait(false);
            }
        }

        var firstAfter = writes.Where(w => w.At >= outage && w.AckedAt is not null).Select(w => w.AckedAt!.Value).DefaultIfEmpty().Min();
        return new ObjectTierReport(
            Attempted: writes.Length,
            Acknowledged: writes.Count(w => w.AckedAt is not null),
            Failed: writes.Count(w => w.AckedAt is null),
            WrittenToSurvivor: writes.Count(w => w.ToSurvivor && w.AckedAt is not null),
            AcknowledgedBeforeOutage: beforeOutage.Length,
            MissingInSurvivorDuringOutage: missing.Length,
            MissingAfterRecovery: stillMissing.Length,
            BacklogAtOutage: _backlog,
            WriteRecovery: outage == TimeSpan.MaxValue || firstAfter == default ? null : firstAfter - outage,
            MissingKeys: missing.Take(MaxListedMissing).ToArray(),
            Note: _listFailure);
    }

    public void Dispose()
    {
        _source.Dispose();
        _replica.Dispose();
    }

    private async Task WriteAsync(int n, byte[] body)
    {
        var key = $"{_runPrefix}{n:D6}";
        var at = _time.GetElapsedTime(_start);
        var toSurvivor = _failedOver;
        var acked = await TryPutAsync(toSurvivor ? _replica : _source, toSurvivor ? _options.ReplicaBucket : _options.SourceBucket, key, body).ConfigureAwait(false);
        if (!acked && !toSurvivor)
        {
            // The region's app would fail over: this write and the next ones go to the surviving region.
            _failedOver = true;
            toSurvivor = true;
            acked = await TryPutAsync(_replica, _options.ReplicaBucket, key, body).ConfigureAwait(false);
        }

        _writes[n] = new ObjectWrite(n, key, at, acked ? _time.GetElapsedTime(_start) : null, toSurvivor);
    }

    private static async Task<bool> TryPutAsync(AmazonS3Client client, string bucket, string key, byte[] body)
    {
        try
        {
            using var content = new MemoryStream(body, writable: false);
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = content, AutoCloseStream = false })
                .ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (IsClientFailure(ex))
        {
            return false;
        }
    }

    private static bool IsClientFailure(Exception ex) =>
        ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or OperationCanceledException or TimeoutException;

    private async Task<HashSet<string>> ListSurvivorAsync(CancellationToken token)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        string? continuation = null;
        do
        {
            var page = await _replica.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = _options.ReplicaBucket,
                Prefix = _runPrefix,
                ContinuationToken = continuation,
            }, token).ConfigureAwait(false);
            foreach (var entry in page.S3Objects ?? [])
            {
                keys.Add(entry.Key);
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);

        return keys;
    }

    private AmazonS3Client Client(Uri endpoint, string region, TimeSpan timeout) =>
        new(new BasicAWSCredentials(_options.AccessKey, _options.SecretKey), new AmazonS3Config
        {
            ServiceURL = endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = region,
            MaxErrorRetry = 0,
            Timeout = timeout,
        });

    private sealed record ObjectWrite(int N, string Key, TimeSpan At, TimeSpan? AckedAt, bool ToSurvivor);
}
