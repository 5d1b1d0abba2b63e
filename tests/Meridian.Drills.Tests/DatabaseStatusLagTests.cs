using Meridian.Drills.Data;

namespace Meridian.Drills.Tests;

public sealed class DatabaseStatusLagTests
{
    [Fact]
    public void Parse_ClusterStatusArray_ReadsEachReplicasReplayLag()
    {
        const string json = """
            [{"name":"app","state":"Healthy","writer":"us_1","members":[
              {"name":"us_1","region":"us-east-1","role":"primary","lag":null},
              {"name":"us_2","region":"us-east-1","role":"replica","lag":{"member":"us_2","replayLagBytes":0,"replayLagSeconds":0.002}},
              {"name":"eu_1","region":"eu-west-1","role":"replica","lag":{"member":"eu_1","replayLagBytes":81920,"replayLagSeconds":null}}]}]
            """;

        var lag = DatabaseStatusLag.Parse(json);

        Assert.Equal([new ReplicaLag("us_2", "us-east-1", 0, 0.002), new ReplicaLag("eu_1", "eu-west-1", 81920, null)], lag);
    }

    [Fact]
    public void Parse_WrappedInObjectWithoutLag_Empty()
    {
        Assert.Empty(DatabaseStatusLag.Parse("""{"clusters":[{"members":[{"name":"a"}]}]}"""));
    }
}
