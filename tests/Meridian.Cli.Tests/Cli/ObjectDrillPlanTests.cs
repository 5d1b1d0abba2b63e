using System.Net;
using Meridian.Cli.Commands;
using Meridian.Topology.Model;

namespace Meridian.Cli.Tests.Cli;

public sealed class ObjectDrillPlanTests
{
    private static TopologyConfig Topology(bool withRule = true, bool withCredentials = true) => new()
    {
        SourceFile = "t.yaml",
        Storage = new StorageConfig(
            withCredentials ? [new StorageCredentialConfig("AKID", "secret")] : [],
            [
                new ObjectStoreConfig
                {
                    Name = "store-us", Region = "us-east-1", Listen = IPEndPoint.Parse("127.0.0.11:9000"), DataDirectory = "/tmp/us",
                    Buckets =
                    [
                        new BucketConfig { Name = "logs-us", Versioning = true },
                        new BucketConfig
                        {
                            Name = "assets-us", Versioning = true,
                            Replication = withRule
                                ? [new ReplicationRuleConfig { Id = "to-eu", Prefix = "static/", DestinationBucket = "assets-eu", DestinationStore = "store-eu" }]
                                : [],
                        },
                    ],
                },
                new ObjectStoreConfig
                {
                    Name = "store-eu", Region = "eu-west-1", Listen = IPEndPoint.Parse("127.0.0.12:9000"), DataDirectory = "/tmp/eu",
                    Buckets = [new BucketConfig { Name = "assets-eu", Versioning = true }],
                },
            ]),
    };

    [Fact]
    public void Create_ReplicatedBucketInRegion_WritesUnderRulePrefixAndReadsTheReplica()
    {
        var options = ObjectDrillPlan.Create(Topology(), "us-east-1", 10, out var why);

        Assert.NotNull(options);
        Assert.Null(why);
        Assert.Equal(("assets-us", "assets-eu"), (options.SourceBucket, options.ReplicaBucket));
        Assert.Equal(new Uri("http://127.0.0.11:9000/"), options.SourceEndpoint);
        Assert.Equal(new Uri("http://127.0.0.12:9000/"), options.ReplicaEndpoint);
        Assert.Equal(("us-east-1", "eu-west-1"), (options.SourceRegion, options.ReplicaRegion));
        Assert.StartsWith("static/", options.Prefix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true, 10, "replicates")]
    [InlineData(true, false, 10, "no object stores")]
    [InlineData(true, true, 0, "--objects-rate 0")]
    public void Create_NothingToDrill_NullWithReason(bool withRule, bool withCredentials, int rate, string reason)
    {
        Assert.Null(ObjectDrillPlan.Create(Topology(withRule, withCredentials), "us-east-1", rate, out var why));
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }
}
