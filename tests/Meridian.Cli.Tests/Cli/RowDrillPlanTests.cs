using Meridian.Cli.Commands;
using Meridian.Cli.Tests.Support;
using Meridian.Drills;
using Meridian.Drills.Data;
using Meridian.Drills.Report;
using Meridian.Topology;
using Meridian.Topology.Model;

namespace Meridian.Cli.Tests.Cli;

public sealed class RowDrillPlanTests
{
    private static TopologyConfig Sample()
    {
        var loaded = TopologyLoader.Load(RepositoryFiles.TwoRegionSample);
        Assert.True(loaded.Succeeded, string.Join(Environment.NewLine, loaded.Errors));
        return loaded.Config!;
    }

    [Theory]
    [InlineData("us-east-1", "http://127.0.0.21:8080/")]
    [InlineData("eu-west-1", "http://127.0.0.22:8080/")]
    public void Create_DemoTopology_WritesThroughTheRegionsEdgeWithTheDistributionsHost(string region, string target)
    {
        var options = RowDrillPlan.Create(Sample(), region, 25, out var why);

        Assert.Null(why);
        Assert.NotNull(options);
        Assert.Equal(new Uri(target), options.Target);
        Assert.Equal("cdn.mydomain.test", options.Host);
        Assert.Equal(25, options.Rate);
    }

    [Fact]
    public void Create_NoEdge_FallsBackToTheRegionsLoadBalancer()
    {
        var topology = Sample() with { Edge = new EdgeConfig([], []) };

        var options = RowDrillPlan.Create(topology, "us-east-1", 10, out _);

        Assert.Equal(new Uri("http://127.0.0.11:8080/"), options?.Target);
        Assert.Null(options?.Host);
    }

    [Fact]
    public void Create_RateZero_NotDrilledAndSaysSo()
    {
        Assert.Null(RowDrillPlan.Create(Sample(), "us-east-1", 0, out var why));
        Assert.Equal("--rows-rate 0", why);
    }

    [Theory]
    [InlineData(3, 2, true)]
    [InlineData(2, 2, false)]
    [InlineData(null, 0, true)] // rows not read back: the RPO is not known, so the target is not met
    public void Check_MaxDbRpo_BrokenWhenMoreRowsMissingOrUnknown(int? missing, int target, bool broken)
    {
        var report = new DrillReport
        {
            Region = "us-east-1", Mode = DrillMode.Refuse, StartedAt = DateTimeOffset.UnixEpoch, Duration = TimeSpan.FromSeconds(30),
            OutageAt = TimeSpan.FromSeconds(5), RestoreAt = TimeSpan.FromSeconds(18), BaselineAnsweredRegion = true,
            Timeline = [], Paths = [], Samples = [],
            Database = new DatabaseTierReport("r", 10, 8, 2, 5, missing, 0, "a", "b", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), null, [], [], null),
        };

        var lines = DrillTargets.Check(report, null, null, null, null, target).ToArray();

        Assert.Equal(broken, lines.Length == 1);
    }
}
