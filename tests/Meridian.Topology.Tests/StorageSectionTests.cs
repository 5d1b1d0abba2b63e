using Meridian.Topology;

namespace Meridian.Topology.Tests;

public sealed class StorageSectionTests
{
    private const string Regions = "regions:\n  us-east-1: { address: 127.0.0.11 }\n  eu-west-1: { address: 127.0.0.12 }\n";

    private const string Credentials = "  credentials:\n    - { access_key: AKIDEXAMPLE, secret_key: secret-key-1 }\n";

    [Fact]
    public void Load_StoreWithBuckets_ReadsEverything()
    {
        var result = TopologyLoader.LoadFromText(Regions + "storage:\n" + Credentials +
            "  stores:\n    us-east-1:\n      region: us-east-1\n      listen: 127.0.0.11:9000\n      data_dir: data/us\n" +
            "      buckets:\n        assets-us-east-1: { versioning: true, public_read: true }\n        logs-us: ~\n", "/tmp/t.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var storage = result.Config!.Storage;
        Assert.Equal("AKIDEXAMPLE", Assert.Single(storage.Credentials).AccessKey);
        var store = Assert.Single(storage.Stores);
        Assert.Equal("/tmp/data/us", store.DataDirectory);
        Assert.Equal(9000, store.Listen.Port);
        Assert.True(store.Buckets[0].Versioning);
        Assert.True(store.Buckets[0].PublicRead);
        Assert.False(store.Buckets[1].Versioning);
        Assert.DoesNotContain("secret-key-1", storage.Credentials[0].ToString());
    }

    [Fact]
    public void Load_BadBucketNameUnknownRegionAndListenClash_AllReportedWithLines()
    {
        var result = TopologyLoader.LoadFromText(Regions + "storage:\n" + Credentials +
            "  stores:\n    a:\n      region: mars-1\n      listen: 127.0.0.11:9000\n      data_dir: a\n" +
            "      buckets: { Bad_Name: {} }\n    b:\n      region: eu-west-1\n      listen: 127.0.0.11:9000\n      data_dir: a\n", "t.yaml");
        Assert.Contains(result.Errors, e => e.FieldPath == "storage.stores.a.region" && e.Message.Contains("unknown region 'mars-1'") && e.Line == 9);
        Assert.Contains(result.Errors, e => e.FieldPath == "storage.stores.a.buckets.Bad_Name" && e.Message.Contains("lowercase"));
        Assert.Contains(result.Errors, e => e.FieldPath == "storage.stores.b.listen" && e.Message.Contains("clashes with storage.stores.a.listen"));
        Assert.Contains(result.Errors, e => e.FieldPath == "storage.stores.b.data_dir" && e.Message.Contains("already used"));
    }

    [Fact]
    public void Load_StoresWithoutCredentials_Error()
    {
        var result = TopologyLoader.LoadFromText(Regions + "storage:\n  stores:\n    a: { region: us-east-1, listen: 127.0.0.11:9000, data_dir: a }\n", "t.yaml");
        Assert.Contains(result.Errors, e => e.FieldPath == "storage.credentials" && e.Message.Contains("at least one access key"));
    }

    [Fact]
    public void Load_DuplicateBucketAcrossStoresAndDuplicateAccessKey_Reported()
    {
        var result = TopologyLoader.LoadFromText(Regions + "storage:\n" + Credentials + "    - { access_key: AKIDEXAMPLE, secret_key: other-secret }\n" +
            "  stores:\n    a: { region: us-east-1, listen: 127.0.0.11:9000, data_dir: a, buckets: { shared: {} } }\n" +
            "    b: { region: eu-west-1, listen: 127.0.0.12:9000, data_dir: b, buckets: { shared: {} } }\n", "t.yaml");
        Assert.Contains(result.Errors, e => e.Message.Contains("duplicate access key 'AKIDEXAMPLE'"));
        Assert.Contains(result.Errors, e => e.FieldPath == "storage.stores.b.buckets.shared" && e.Message.Contains("bucket names are global"));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("a..b")]
    [InlineData("192.168.1.1")]
    [InlineData("-abc")]
    [InlineData("xn--abc")]
    [InlineData("abc-s3alias")]
    public void BucketNames_Invalid_Rejected(string name) => Assert.NotNull(Meridian.Topology.Validation.BucketNames.Check(name));
}
