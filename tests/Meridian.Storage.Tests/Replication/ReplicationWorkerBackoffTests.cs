using System.Collections.Concurrent;
using Meridian.Storage.Replication;
using Meridian.Storage.Store;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Storage.Tests.Replication;

/// <summary>The worker's retry schedule on virtual time, with a destination that fails on demand.</summary>
public sealed class ReplicationWorkerBackoffTests : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "meridian-backoff-" + Guid.NewGuid().ToString("N"));
    private readonly TimerCountingTimeProvider _time = new();
    private readonly FlakyDestination _destination = new();
    private readonly FileObjectStore _store;
    private readonly ReplicationEngine _engine;
    private bool _disposed;

    public ReplicationWorkerBackoffTests()
    {
        _store = new FileObjectStore("us", Path.Combine(_directory, "store"), _time, NullLogger.Instance);
        _store.Open();
        _store.CreateBucket("src", publicRead: false, versioning: true);
        var rules = new Dictionary<string, IReadOnlyList<ReplicationRuleConfig>>
        {
            ["src"] = [new ReplicationRuleConfig { Id = "r", DestinationStore = "eu", DestinationBucket = "dst" }],
        };
        var options = new ReplicationOptions { InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(1000), Lanes = 1 };
        _destination.Time = _time;
        _engine = new ReplicationEngine(_store, rules, _ => _destination, Path.Combine(_directory, "journal"), options, _time, NullLogger.Instance);
        _engine.Start();
        _engine.Resume();
        _store.Sink = _engine;
    }

    private async Task<ObjectVersion> PutAsync(string key)
    {
        var temp = _store.NewTempPath();
        await File.WriteAllTextAsync(temp, "data");
        return await _store.CommitObjectAsync(_store.GetBucket("src"), new ObjectVersion { Key = key, VersionId = VersionIds.Null, Sequence = 0, Size = 4, LastModified = _store.Now },
            temp, CancellationToken.None);
    }

    private string? Status(string key) => _store.GetBucket("src").Latest(key)!.ReplicationStatus;

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within 10 s: {what}");
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task Worker_TransientFailures_BacksOffExponentiallyCappedThenCompletes()
    {
        _destination.FailuresLeft = 6;
        await PutAsync("k");
        Assert.Equal("PENDING", Status("k"));
        var expected = new[] { 100, 200, 400, 800, 1000, 1000 };
        for (var i = 0; i < expected.Length; i++)
        {
            await WaitAsync(() => _destination.Attempts.Count == i + 1 && _time.Timers == i + 1, $"attempt {i + 1} failed and its retry is scheduled");
            // One millisecond short of the delay: no retry yet.
            _time.Advance(TimeSpan.FromMilliseconds(expected[i] - 1));
            await Task.Delay(30);
            Assert.Equal(i + 1, _destination.Attempts.Count);
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }
        await WaitAsync(() => Status("k") == "COMPLETED", "COMPLETED after the destination recovers");
        var times = _destination.Attempts.ToArray();
        Assert.Equal(expected, times.Zip(times.Skip(1), (a, b) => (int)(b - a).TotalMilliseconds).ToArray());
        var metrics = Assert.Single(_engine.Snapshot());
        Assert.Equal((0L, 1L, 0L), (metrics.OperationsPending, metrics.Completed, metrics.Failed));
        Assert.Contains("destination down", metrics.LastError, StringComparison.Ordinal);
        Assert.Equal(3500, metrics.LatencyMaxMs); // virtual commit-to-ack time: the sum of the delays
    }

    [Fact]
    public async Task Worker_PermanentFailure_FailedWithoutRetry()
    {
        _destination.Permanent = true;
        await PutAsync("denied");
        await WaitAsync(() => Status("denied") == "FAILED", "FAILED");
        Assert.Single(_destination.Attempts);
        var metrics = Assert.Single(_engine.Snapshot());
        Assert.Equal((0L, 0L, 1L), (metrics.OperationsPending, metrics.Completed, metrics.Failed));
    }

    [Fact]
    public async Task Dispose_WhileACopyFailsFromTheCutConnection_StopsCleanlyAndKeepsTheItem()
    {
        _destination.FailOnCancel = true;
        await PutAsync("cut");
        await WaitAsync(() => _destination.Attempts.Count == 1, "the copy started");
        _disposed = true;
        await _engine.DisposeAsync(); // the copy fails with a non-cancellation error as the stop cuts it
        using var journal = new ReplicationJournal(Path.Combine(_directory, "journal"));
        Assert.Equal("cut", Assert.Single(journal.Open()).Key);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            await _engine.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Counts timers (Task.Delay on a TimeProvider creates one), so the test advances time only once the retry waits.</summary>
    private sealed class TimerCountingTimeProvider() : FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56))
    {
        private int _timers;

        public int Timers => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _timers);
            return timer;
        }
    }

    private sealed class FlakyDestination : IReplicationDestination
    {
        public int FailuresLeft { get; set; }
        public bool Permanent { get; set; }
        public ConcurrentQueue<DateTimeOffset> Attempts { get; } = new();
        public TimeProvider Time { get; set; } = TimeProvider.System;

        public Task PutAsync(ReplicaObject replica, Stream body, CancellationToken token) => Attempt(token);

        public Task PutDeleteMarkerAsync(string key, string sourceVersionId, DateTimeOffset lastModified, CancellationToken token) => Attempt(token);

        public Task SyncTagsAsync(string key, string sourceVersionId, IReadOnlyDictionary<string, string> tags, CancellationToken token) => Attempt(token);

        public bool FailOnCancel { get; set; }

        private async Task Attempt(CancellationToken token)
        {
            Attempts.Enqueue(Time.GetUtcNow());
            if (FailOnCancel)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                catch (OperationCanceledException)
                {
                    throw new HttpRequestException("connection reset while stopping");
                }
            }
            if (Permanent)
            {
                throw new ReplicationDestinationException("AccessDenied", permanent: true);
            }
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                throw new ReplicationDestinationException("destination down", permanent: false);
            }
        }

        public void Dispose()
        {
        }
    }
}
