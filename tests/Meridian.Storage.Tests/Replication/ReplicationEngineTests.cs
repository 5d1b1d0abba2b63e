using Amazon.S3;
using Amazon.S3.Model;
using static Meridian.Storage.Tests.Replication.ReplicationRegions;

namespace Meridian.Storage.Tests.Replication;

/// <summary>CRR semantics end to end: two real stores on loopback, replicas written through the S3 API.</summary>
public sealed class ReplicationEngineTests
{
    [Fact]
    public async Task Put_NewObject_ReplicaKeepsBodyMetadataTagsVersionIdAndIsReplica()
    {
        await using var regions = await StartAsync([Rule("all")]);
        var put = await PutAsync(regions.Us.Client, "src", "docs/a.txt", "hello replica", r =>
        {
            r.ContentType = "text/plain";
            r.Headers.CacheControl = "max-age=60";
            r.Headers.ContentDisposition = "inline";
            r.Metadata["owner"] = "team-a";
            r.TagSet = [new Tag { Key = "tier", Value = "gold" }];
        });
        await WaitStatusAsync(regions.Us.Client, "src", "docs/a.txt", put.VersionId, "COMPLETED");

        using var replica = await regions.Eu.Client.GetObjectAsync("dst", "docs/a.txt");
        using (var reader = new StreamReader(replica.ResponseStream))
        {
            Assert.Equal("hello replica", await reader.ReadToEndAsync());
        }
        var source = await regions.Us.Client.GetObjectMetadataAsync("src", "docs/a.txt");
        Assert.Equal(put.VersionId, replica.VersionId);
        Assert.Equal(source.LastModified, replica.LastModified);
        Assert.Equal("REPLICA", replica.ReplicationStatus.Value);
        Assert.Equal("text/plain", replica.Headers.ContentType);
        Assert.Equal("max-age=60", replica.Headers.CacheControl);
        Assert.Equal("inline", replica.Headers.ContentDisposition);
        Assert.Equal("team-a", replica.Metadata["x-amz-meta-owner"]);
        Assert.Equal(source.ETag, replica.ETag);
        var tags = await regions.Eu.Client.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = "dst", Key = "docs/a.txt" });
        Assert.Equal("gold", Assert.Single(tags.Tagging).Value);

        var status = Assert.Single(regions.Us.Engine!.Snapshot());
        Assert.Equal((0L, 0L, 1L, 0L), (status.OperationsPending, status.BytesPending, status.Completed, status.Failed));
        Assert.NotNull(status.LatencyP99Ms);
    }

    [Fact]
    public async Task Put_Overwrite_BothVersionsReplicatedInOrderNewestCurrent()
    {
        await using var regions = await StartAsync([Rule("all")]);
        var v1 = await PutAsync(regions.Us.Client, "src", "k", "one");
        var v2 = await PutAsync(regions.Us.Client, "src", "k", "two");
        await WaitStatusAsync(regions.Us.Client, "src", "k", v2.VersionId, "COMPLETED");
        Assert.Equal("two", await ReadAsync(regions.Eu.Client, "dst", "k"));
        var versions = await VersionsAsync(regions.Eu.Client, "dst", "k");
        Assert.Equal([v2.VersionId, v1.VersionId], versions.Select(v => v.VersionId).ToArray());
        Assert.Equal("one", await ReadAsync(regions.Eu.Client, "dst", "k", v1.VersionId));
    }

    [Fact]
    public async Task Delete_DeleteMarkerReplicationOnOrOffByWinningRule_VersionIdDeleteNeverReplicated()
    {
        // Priority decides which rule applies: "keep" (0) covers everything, "mirror" (5) wins under mirror/.
        await using var regions = await StartAsync([Rule("keep", priority: 0), Rule("mirror", priority: 5, prefix: "mirror/", deleteMarkers: true)]);
        var mirrored = await PutAsync(regions.Us.Client, "src", "mirror/x", "x");
        var kept = await PutAsync(regions.Us.Client, "src", "keep/y", "y");
        await WaitStatusAsync(regions.Us.Client, "src", "mirror/x", mirrored.VersionId, "COMPLETED");
        await WaitStatusAsync(regions.Us.Client, "src", "keep/y", kept.VersionId, "COMPLETED");

        var marker = await regions.Us.Client.DeleteObjectAsync("src", "mirror/x");
        await regions.Us.Client.DeleteObjectAsync("src", "keep/y");
        Assert.True(await regions.Us.Engine!.WaitIdleAsync(TimeSpan.FromSeconds(20)));

        var mirrorVersions = await VersionsAsync(regions.Eu.Client, "dst", "mirror/x");
        Assert.True(mirrorVersions[0].IsDeleteMarker == true);
        Assert.Equal(marker.VersionId, mirrorVersions[0].VersionId);
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => ReadAsync(regions.Eu.Client, "dst", "mirror/x"));
        Assert.Equal("NoSuchKey", gone.ErrorCode);
        Assert.Equal("y", await ReadAsync(regions.Eu.Client, "dst", "keep/y"));
        Assert.DoesNotContain(await VersionsAsync(regions.Eu.Client, "dst", "keep/y"), v => v.IsDeleteMarker == true);

        // Deleting a version by id is never replicated (S3: protects replicas from malicious deletes).
        await regions.Us.Client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = "src", Key = "keep/y", VersionId = kept.VersionId });
        Assert.True(await regions.Us.Engine.WaitIdleAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal("y", await ReadAsync(regions.Eu.Client, "dst", "keep/y", kept.VersionId));
        var byRule = regions.Us.Engine.Snapshot().ToDictionary(s => s.Rule);
        Assert.Equal(2, byRule["mirror"].Completed);
        Assert.Equal(1, byRule["keep"].Completed);
    }

    [Fact]
    public async Task Put_PrefixAndTagFilter_OnlyMatchingObjectsReplicated()
    {
        await using var regions = await StartAsync([Rule("gold-images", prefix: "img/", tags: new Dictionary<string, string> { ["tier"] = "gold" })]);
        var match = await PutAsync(regions.Us.Client, "src", "img/a.png", "a", r => r.TagSet = [new Tag { Key = "tier", Value = "gold" }, new Tag { Key = "x", Value = "1" }]);
        var wrongTag = await PutAsync(regions.Us.Client, "src", "img/b.png", "b", r => r.TagSet = [new Tag { Key = "tier", Value = "silver" }]);
        var wrongPrefix = await PutAsync(regions.Us.Client, "src", "doc/c.txt", "c", r => r.TagSet = [new Tag { Key = "tier", Value = "gold" }]);
        await WaitStatusAsync(regions.Us.Client, "src", "img/a.png", match.VersionId, "COMPLETED");
        Assert.True(await regions.Us.Engine!.WaitIdleAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal("a", await ReadAsync(regions.Eu.Client, "dst", "img/a.png"));
        foreach (var key in new[] { "img/b.png", "doc/c.txt" })
        {
            var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => ReadAsync(regions.Eu.Client, "dst", key));
            Assert.Equal("NoSuchKey", error.ErrorCode);
            var head = await regions.Us.Client.GetObjectMetadataAsync("src", key);
            Assert.Null(head.ReplicationStatus?.Value); // no rule applies: no status, as S3
        }
        _ = (wrongTag, wrongPrefix);
    }

    [Fact]
    public async Task Put_TagsChangedAfterReplication_ReplicaTagsFollow()
    {
        await using var regions = await StartAsync([Rule("all")]);
        var put = await PutAsync(regions.Us.Client, "src", "t", "t");
        await WaitStatusAsync(regions.Us.Client, "src", "t", put.VersionId, "COMPLETED");
        await regions.Us.Client.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = "src", Key = "t", Tagging = new Tagging { TagSet = [new Tag { Key = "state", Value = "reviewed" }] },
        });
        Assert.True(await regions.Us.Engine!.WaitIdleAsync(TimeSpan.FromSeconds(20)));
        var tags = await regions.Eu.Client.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = "dst", Key = "t" });
        Assert.Equal("reviewed", Assert.Single(tags.Tagging).Value);
    }

    [Fact]
    public async Task PutBucketReplication_RulesFromS3Xml_ReplicateAndUnknownDestinationFails()
    {
        await using var regions = await StartAsync([]); // no topology rules: the bucket's own configuration applies
        await regions.Us.Client.PutBucketReplicationAsync(new PutBucketReplicationRequest
        {
            BucketName = "src",
            Configuration = new ReplicationConfiguration
            {
                Role = "arn:aws:iam::123456789012:role/replication",
                Rules =
                [
                    new ReplicationRule
                    {
                        Id = "docs", Status = ReplicationRuleStatus.Enabled, Priority = 2,
                        Filter = new ReplicationRuleFilter { Prefix = "docs/" },
                        DeleteMarkerReplication = new DeleteMarkerReplication { Status = DeleteMarkerReplicationStatus.Enabled },
                        Destination = new ReplicationDestination { BucketArn = "arn:aws:s3:::dst" },
                    },
                    new ReplicationRule
                    {
                        Id = "nowhere", Status = ReplicationRuleStatus.Enabled, Priority = 1,
                        Filter = new ReplicationRuleFilter { Prefix = "lost/" },
                        DeleteMarkerReplication = new DeleteMarkerReplication { Status = DeleteMarkerReplicationStatus.Disabled },
                        Destination = new ReplicationDestination { BucketArn = "arn:aws:s3:::not-in-this-topology" },
                    },
                ],
            },
        });
        var doc = await PutAsync(regions.Us.Client, "src", "docs/readme", "read me");
        var lost = await PutAsync(regions.Us.Client, "src", "lost/x", "x");
        await WaitStatusAsync(regions.Us.Client, "src", "docs/readme", doc.VersionId, "COMPLETED");
        await WaitStatusAsync(regions.Us.Client, "src", "lost/x", lost.VersionId, "FAILED");
        Assert.Equal("read me", await ReadAsync(regions.Eu.Client, "dst", "docs/readme"));
        var failed = regions.Us.Engine!.Snapshot().Single(r => r.Rule == "nowhere");
        Assert.Contains("not-in-this-topology", failed.LastError, StringComparison.Ordinal);
    }
}
