using Meridian.Topology;

namespace Meridian.Topology.Tests;

public sealed class ReplicationRulesTests
{
    private const string Head = "regions:\n  us-east-1: { address: 127.0.0.11 }\n  eu-west-1: { address: 127.0.0.12 }\n" +
        "storage:\n  credentials:\n    - { access_key: AKIDEXAMPLE, secret_key: secret-key-1 }\n  stores:\n";

    private static TopologyLoadResult Load(string stores) => TopologyLoader.LoadFromText(Head + stores, "/tmp/t.yaml");

    [Fact]
    public void Load_TwoWayRules_ReadsFiltersPrioritiesAndDestinations()
    {
        var result = Load(
            "    us:\n      region: us-east-1\n      listen: 127.0.0.11:9000\n      data_dir: us\n      buckets:\n" +
            "        assets-us:\n          versioning: true\n          replication:\n" +
            "            to-eu: { priority: 2, prefix: static/, tags: { tier: gold }, delete_marker_replication: true, destination: { store: eu, bucket: assets-eu } }\n" +
            "            to-minio: { priority: 1, proxy_missing_reads: true, destination: { endpoint: 'http://127.0.0.9:9000', region: us-east-1, access_key: AKIDX, secret_key: secret-x-1, bucket: far } }\n" +
            "    eu:\n      region: eu-west-1\n      listen: 127.0.0.12:9000\n      data_dir: eu\n      buckets:\n" +
            "        assets-eu: { versioning: true, replication: { to-us: { destination: { store: us, bucket: assets-us } } } }\n");
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var rules = result.Config!.Storage.Stores[0].Buckets[0].Replication;
        Assert.Equal(2, rules.Count);
        Assert.Equal(("to-eu", 2, "static/", "gold", true, "eu", "assets-eu"),
            (rules[0].Id, rules[0].Priority, rules[0].Prefix, rules[0].Tags["tier"], rules[0].DeleteMarkerReplication, rules[0].DestinationStore, rules[0].DestinationBucket));
        Assert.Equal(new Uri("http://127.0.0.9:9000"), rules[1].DestinationEndpoint);
        Assert.Equal("AKIDX", rules[1].DestinationCredentials!.AccessKey);
        Assert.True(rules[1].ProxyMissingReads);
        Assert.True(rules[0].Enabled);
        Assert.Equal(16, rules[0].Location.Line);
        Assert.Equal("assets-us", Assert.Single(result.Config.Storage.Stores[1].Buckets[0].Replication).DestinationBucket);
    }

    [Fact]
    public void Load_BadRules_AllReportedWithLinesAndPaths()
    {
        var result = Load(
            "    us:\n      region: us-east-1\n      listen: 127.0.0.11:9000\n      data_dir: us\n      buckets:\n" +
            "        plain: {}\n" +
            "        src:\n          replication:\n" +
            "            a: { destination: { store: ue, bucket: x } }\n" +
            "            b: { destination: { store: eu, bucket: nope } }\n" +
            "            c: { destination: { store: eu, bucket: unversioned } }\n" +
            "            d: { prefix: docs/, destination: { store: eu, bucket: dst, endpoint: 'http://127.0.0.9' } }\n" +
            "            e: { prefix: docs/a, destination: { endpoint: 'ftp://x', bucket: y } }\n" +
            "            f: { destination: { store: us, bucket: src }, colour: red }\n" +
            "    eu:\n      region: eu-west-1\n      listen: 127.0.0.12:9000\n      data_dir: eu\n      buckets: { unversioned: {}, dst: { versioning: true } }\n");
        var errors = result.Errors;
        Assert.Contains(errors, e => e.FieldPath == "storage.stores.us.buckets.src.replication.a" && e.Message.Contains("versioning on the source bucket") && e.Line == 16);
        Assert.Contains(errors, e => e.FieldPath == "storage.stores.us.buckets.src.replication.a.destination.store" && e.Message.Contains("unknown store 'ue'") && e.Message.Contains("us"));
        Assert.Contains(errors, e => e.FieldPath == "storage.stores.us.buckets.src.replication.b.destination.bucket" && e.Message.Contains("no bucket 'nope'"));
        Assert.Contains(errors, e => e.FieldPath == "storage.stores.us.buckets.src.replication.c.destination.bucket" && e.Message.Contains("versioning on the destination"));
        Assert.Contains(errors, e => e.FieldPath == "storage.stores.us.buckets.src.replication.d.destination" && e.Message.Contains("exactly one of"));
        Assert.Contains(errors, e => e.FieldPath == "storage.stores.us.buckets.src.replication.e.destination.endpoint" && e.Message.Contains("http://"));
        Assert.Contains(errors, e => e.FieldPath == "storage.stores.us.buckets.src.replication.f.colour" && e.Message.Contains("unknown key"));
        Assert.Contains(errors, e => e.FieldPath == "storage.stores.us.buckets.src.replication.f.destination.bucket" && e.Message.Contains("itself"));
        // a, b, c, f have priority 0 and no filter: they overlap; d and e overlap too (docs/ and docs/a).
        Assert.Contains(errors, e => e.FieldPath == "storage.stores.us.buckets.src.replication.b.priority" && e.Message.Contains("distinct priorities"));
        Assert.Contains(errors, e => e.FieldPath == "storage.stores.us.buckets.src.replication.e.priority" && e.Message.Contains("'d' and 'e'"));
    }

    [Fact]
    public void Load_SamePriorityDisjointFilters_Accepted()
    {
        var result = Load(
            "    us:\n      region: us-east-1\n      listen: 127.0.0.11:9000\n      data_dir: us\n      buckets:\n" +
            "        src:\n          versioning: true\n          replication:\n" +
            "            a: { prefix: img/, destination: { store: eu, bucket: dst } }\n" +
            "            b: { prefix: css/, destination: { store: eu, bucket: dst } }\n" +
            "            c: { tags: { t: x }, priority: 1, destination: { store: eu, bucket: dst } }\n" +
            "            d: { tags: { t: y }, priority: 1, destination: { store: eu, bucket: dst } }\n" +
            "    eu:\n      region: eu-west-1\n      listen: 127.0.0.12:9000\n      data_dir: eu\n      buckets: { dst: { versioning: true } }\n");
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
    }
}
