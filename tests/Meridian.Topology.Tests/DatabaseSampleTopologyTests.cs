using Meridian.Topology;

namespace Meridian.Topology.Tests;

public sealed class DatabaseSampleTopologyTests
{
    [Fact]
    public void Load_DatabaseSample_ThreeMembersAndNoWarnings()
    {
        var result = TopologyLoader.Load(Path.Combine(TestFiles.RepoRoot, "samples", "topologies", "database.yaml"));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Empty(result.Warnings);
        var db = Assert.Single(result.Config!.Databases);
        Assert.Equal(["primary", "standby", "replica"], db.Members.Select(m => m.Name));
        Assert.True(db.FindMember("standby")!.Synchronous);
    }
}
