namespace Meridian.Health.Tests;

public sealed class HealthEventLogTests
{
    private static HealthEvent Event(int i) =>
        new(DateTimeOffset.UnixEpoch.AddSeconds(i), $"c{i}", null, HealthStatus.Healthy, HealthStatus.Unhealthy, "r", null);

    [Fact]
    public void Add_BeyondCapacity_KeepsNewestInOrder()
    {
        var log = new HealthEventLog(3);
        for (var i = 0; i < 5; i++)
        {
            log.Add(Event(i));
        }

        Assert.Equal(["c2", "c3", "c4"], log.Snapshot().Select(e => e.Check));
        Assert.Equal(3, log.Count);
        Assert.Equal(5, log.TotalRecorded);
    }

    [Fact]
    public void Constructor_Default_HasCapacityOf1000()
    {
        var log = new HealthEventLog();
        for (var i = 0; i < 1500; i++)
        {
            log.Add(Event(i));
        }

        var snapshot = log.Snapshot();
        Assert.Equal(1000, snapshot.Count);
        Assert.Equal("c1499", snapshot[^1].Check);
        Assert.Equal("c500", snapshot[0].Check);
    }

    [Fact]
    public void Subscribe_ThenDispose_ReceivesOnlyWhileSubscribed()
    {
        var log = new HealthEventLog();
        var seen = new List<string>();
        var subscription = log.Subscribe(e => seen.Add(e.Check));
        log.Add(Event(1));
        subscription.Dispose();
        log.Add(Event(2));
        Assert.Equal(["c1"], seen);
    }

    [Fact]
    public void Add_SubscriberThrows_OtherSubscribersStillCalled()
    {
        var log = new HealthEventLog();
        var calls = 0;
        log.Changed += _ => throw new InvalidOperationException("bad subscriber");
        log.Changed += _ => calls++;
        log.Add(Event(1));
        Assert.Equal(1, calls);
        Assert.Single(log.Snapshot());
    }

    [Fact]
    public async Task Add_Concurrently_KeepsCountBounded()
    {
        var log = new HealthEventLog(50);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                log.Add(Event(i));
            }
        })));
        Assert.Equal(50, log.Snapshot().Count);
        Assert.Equal(4000, log.TotalRecorded);
    }
}
