using System.Net;
using Meridian.Cli.Demo;
using Meridian.Cli.Tests.Support;
using Meridian.Topology;

namespace Meridian.Cli.Tests.Cli;

public sealed class DemoDatabaseTests
{
    [Fact]
    public void Options_DemoTopology_WriterAndReaderNamesThroughMeridiansDns()
    {
        var loaded = TopologyLoader.Load(RepositoryFiles.TwoRegionSample);
        Assert.True(loaded.Succeeded);

        var options = DemoDatabase.Options(loaded.Config!);

        Assert.NotNull(options);
        Assert.Equal("db-writer.mydomain.test", options.Writer.Host);
        Assert.Equal("db-reader.mydomain.test", options.Reader?.Host);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5353"), options.Dns);
        Assert.Equal(("meridian", "app"), (options.User, options.Database));
        options.Validate();
    }

    [Fact]
    public void Options_NoDbWriterName_Null()
    {
        var loaded = TopologyLoader.Load(RepositoryFiles.TwoRegionSample);
        var config = loaded.Config! with
        {
            Zones = [.. loaded.Config!.Zones.Select(z => z with { Records = [.. z.Records.Where(r => !r.Name.Contains("db-", StringComparison.Ordinal))] })],
        };

        Assert.Null(DemoDatabase.Options(config));
    }
}
