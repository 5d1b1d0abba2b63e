using Meridian.Topology;

namespace Meridian.Topology.Tests;

public sealed class DrillsSectionTests
{
    private const string Regions = "regions:\n  us-east-1: { address: 127.0.0.11 }\n";

    [Fact]
    public void Load_InjectAndRestoreCommands_ReadPerRegion()
    {
        var result = TopologyLoader.LoadFromText(Regions + "drills:\n  region-outage:\n    inject: { us-east-1: \"block\" }\n    restore: { us-east-1: \"unblock\" }\n", "t.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal("block", result.Config!.Drills.InjectCommands["us-east-1"]);
        Assert.Equal("unblock", result.Config.Drills.RestoreCommands["us-east-1"]);
    }

    [Fact]
    public void Load_InjectWithoutRestoreAndUnknownRegion_BothReported()
    {
        var result = TopologyLoader.LoadFromText(Regions + "drills:\n  region-outage:\n    inject: { us-east-1: \"block\", mars-1: \"x\" }\n    restore: { mars-1: \"y\" }\n", "t.yaml");
        Assert.Contains(result.Errors, e => e.Message.Contains("unknown region 'mars-1'") && e.Line == 5);
        Assert.Contains(result.Errors, e => e.Message.Contains("'us-east-1' has an inject command but no restore command"));
    }

    [Fact]
    public void Load_MisspelledKey_DidYouMean()
    {
        var result = TopologyLoader.LoadFromText(Regions + "drills:\n  region-outage:\n    injct: { us-east-1: \"block\" }\n", "t.yaml");
        Assert.Contains(result.Errors, e => e.FieldPath == "drills.region-outage.injct" && e.Message.Contains("did you mean 'inject'"));
    }
}
