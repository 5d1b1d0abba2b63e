using System.Net;
using Meridian.Database.Failover;
using Meridian.Database.Monitoring;
using Meridian.Database.Tests.Support;
using Meridian.Topology.Model;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Database.Tests.Failover;

/// <summary>A scripted three-member cluster (primary, standby, replica) on virtual time, and helpers to drive it.</summary>
public abstract class FailoverControllerFixture
{
    protected const long MB = 1024 * 1024;
    protected readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
    protected readonly ScriptedProbe _probe;
    protected readonly RecordingActions _actions = new();
    protected readonly DatabaseEventLog _events = new();

    protected FailoverControllerFixture()
    {
        _probe = new ScriptedProbe(_time);
    }

    protected static DatabaseClusterConfig Cluster(bool synchronousStandby = false, bool automatic = true) => new()
    {
        Name = "app-db",
        Members =
        [
            Member("primary", "us-east-1", 11, 5432, DatabaseMemberRole.Primary),
            Member("standby", "us-east-1", 11, 5433, DatabaseMemberRole.Replica, synchronousStandby),
            Member("replica", "eu-west-1", 12, 5432, DatabaseMemberRole.Replica),
        ],
        Failover = new DatabaseFailoverConfig { MaxLagOnFailover = MB, UnhealthyFor = TimeSpan.FromSeconds(3), CheckInterval = TimeSpan.FromSeconds(1), Automatic = automatic },
    };

    protected static DatabaseMemberConfig Member(string name, string region, int host, int port, DatabaseMemberRole role, bool sync = false) => new()
    {
        Name = name,
        Region = region,
        Listen = new IPEndPoint(IPAddress.Parse($"127.0.0.{host}"), port),
        DataDir = $"/var/tmp/{name}",
        InitialRole = role,
        Synchronous = sync,
    };

    protected FailoverController Controller(DatabaseClusterConfig? cluster = null) =>
        new(cluster ?? Cluster(), "primary", _probe, _actions, _time, _events);

    protected void AllUp(long primaryLsn = 10 * MB, long standby = 10 * MB, long replica = 10 * MB)
    {
        _probe.Primary("primary", primaryLsn);
        _probe.Replica("standby", standby);
        _probe.Replica("replica", replica);
    }

    protected async Task TickAfter(FailoverController controller, double seconds)
    {
        _time.Advance(TimeSpan.FromSeconds(seconds));
        await controller.TickAsync(CancellationToken.None);
    }

    protected async Task<FailoverController> HealthyController(DatabaseClusterConfig? cluster = null)
    {
        AllUp();
        var controller = Controller(cluster);
        await controller.TickAsync(CancellationToken.None);
        Assert.Equal(FailoverState.Healthy, controller.State);
        return controller;
    }

    protected IReadOnlyList<DatabaseEvent> Transitions => _events.Snapshot().Where(e => e.Kind == DatabaseEventKind.Transition).ToList();

    protected static ReplicationLag Lag(string member, long bytes) => new(member, "streaming", "async", bytes, bytes, bytes, 0, 0, 0);

    /// <summary>A controller that failed over from primary to standby.</summary>
    protected async Task<FailoverController> FailedOver()
    {
        var controller = await HealthyController();
        _probe.Down("primary");
        await TickAfter(controller, 1);
        await TickAfter(controller, 3);
        Assert.Equal("standby", controller.Writer);
        return controller;
    }

    protected static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 200 && condition(); i++)
        {
            await Task.Delay(10);
        }
    }
}
