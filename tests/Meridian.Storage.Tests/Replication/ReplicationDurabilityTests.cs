using Amazon.S3.Model;
using static Meridian.Storage.Tests.Replication.ReplicationRegions;

namespace Meridian.Storage.Tests.Replication;

/// <summary>Destination outages, restarts with owed work, two-way rules, existing objects.</summary>
public sealed class ReplicationDurabilityTests
{
    [Fact]
    public async Task Put_DestinationDownThenUp_RetriesThenCompleted()
    {
        await using var regions = await StartAsync([Rule("all")]);
        await regions.StopStoreAsync("eu");
        var put = await PutAsync(regions.Us.Client, "src", "while-down", "payload");
        var head = await regions.Us.Client.GetObjectMetadataAsync("src", "while-down");
        Assert.Equal("PENDING", head.ReplicationStatus.Value);

        // Retries keep failing (connection refused) while eu is down; the error shows in the metrics.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (regions.Us.Engine!.Snapshot()[0].LastError is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        var down = regions.Us.Engine.Snapshot()[0];
        Assert.NotNull(down.LastError);
        Assert.Equal((1L, 7L, 0L), (down.OperationsPending, down.BytesPending, down.Failed));

        await regions.StartStoreAsync("eu");
        await WaitStatusAsync(regions.Us.Client, "src", "while-down", put.VersionId, "COMPLETED");
        Assert.Equal("payload", await ReadAsync(regions.Eu.Client, "dst", "while-down"));
        Assert.Equal(0, regions.Us.Engine.Snapshot()[0].OperationsPending);
    }

    [Fact]
    public async Task Restart_WithOwedWork_NothingLost()
    {
        await using var regions = await StartAsync([Rule("all", deleteMarkers: true)]);
        await regions.StopStoreAsync("eu");
        var versions = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            versions.Add((await PutAsync(regions.Us.Client, "src", $"owed/{i}", $"body {i}")).VersionId);
        }
        await regions.Us.Client.DeleteObjectAsync("src", "owed/0");
        // Stop without draining (the journal is all that remembers), then start both again.
        await regions.StopStoreAsync("us");
        await regions.StartStoreAsync("eu");
        await regions.StartStoreAsync("us");
        Assert.Equal(21, regions.Us.Engine!.Snapshot()[0].OperationsPending);

        Assert.True(await regions.Us.Engine.WaitIdleAsync(TimeSpan.FromSeconds(30)));
        for (var i = 1; i < 20; i++)
        {
            Assert.Equal($"body {i}", await ReadAsync(regions.Eu.Client, "dst", $"owed/{i}"));
            await WaitStatusAsync(regions.Us.Client, "src", $"owed/{i}", versions[i], "COMPLETED");
        }
        var replicaOf0 = await VersionsAsync(regions.Eu.Client, "dst", "owed/0");
        Assert.True(replicaOf0[0].IsDeleteMarker == true);
        Assert.Equal(versions[0], replicaOf0[1].VersionId);
    }

    [Fact]
    public async Task TwoWay_RuleEachWay_NoLoopsAndReplicaTagChangesSyncBack()
    {
        await using var regions = await StartAsync([Rule("to-eu", deleteMarkers: true)], [Rule("to-us", store: "us", bucket: "src", deleteMarkers: true)]);
        var fromUs = await PutAsync(regions.Us.Client, "src", "from-us", "u");
        var fromEu = await PutAsync(regions.Eu.Client, "dst", "from-eu", "e");
        await WaitStatusAsync(regions.Us.Client, "src", "from-us", fromUs.VersionId, "COMPLETED");
        await WaitStatusAsync(regions.Eu.Client, "dst", "from-eu", fromEu.VersionId, "COMPLETED");
        Assert.Equal("e", await ReadAsync(regions.Us.Client, "src", "from-eu"));
        Assert.Equal("u", await ReadAsync(regions.Eu.Client, "dst", "from-us"));

        // Replica modification sync: a tag change on the replica in eu goes back to the source in us, once.
        await regions.Eu.Client.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = "dst", Key = "from-us", Tagging = new Tagging { TagSet = [new Tag { Key = "seen", Value = "eu" }] },
        });
        await regions.Eu.Client.DeleteObjectAsync("dst", "from-eu");
        Assert.True(await regions.Eu.Engine!.WaitIdleAsync(TimeSpan.FromSeconds(20)));
        Assert.True(await regions.Us.Engine!.WaitIdleAsync(TimeSpan.FromSeconds(20)));
        var tags = await regions.Us.Client.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = "src", Key = "from-us" });
        Assert.Equal("eu", Assert.Single(tags.Tagging).Value);

        // No loop: each key has exactly the versions its writes made, on both sides, and nothing stays owed.
        // Idle on both sides after each other's echoes; a loop would keep items owed or add versions and completions.
        Assert.True(await regions.Eu.Engine.WaitIdleAsync(TimeSpan.FromSeconds(20)));
        Assert.True(await regions.Us.Engine.WaitIdleAsync(TimeSpan.FromSeconds(20)));
        Assert.Single(await VersionsAsync(regions.Us.Client, "src", "from-us"));
        Assert.Single(await VersionsAsync(regions.Eu.Client, "dst", "from-us"));
        Assert.Equal(2, (await VersionsAsync(regions.Us.Client, "src", "from-eu")).Count);
        Assert.Equal(2, (await VersionsAsync(regions.Eu.Client, "dst", "from-eu")).Count);
        Assert.Equal(0, regions.Us.Engine.Snapshot().Sum(s => s.OperationsPending) + regions.Eu.Engine.Snapshot().Sum(s => s.OperationsPending));
        // us: its PUT, then the echo of the synced tags (found equal in eu, so it stops there). eu: its PUT, the tag
        // change, the delete marker.
        Assert.Equal(2, regions.Us.Engine.Snapshot()[0].Completed);
        Assert.Equal(3, regions.Eu.Engine.Snapshot()[0].Completed);
    }

    [Fact]
    public async Task ReplicateExisting_ObjectsFromBeforeTheRule_AllCopiedWithProgress()
    {
        await using var regions = await StartAsync([], startEngines: false);
        for (var i = 0; i < 250; i++)
        {
            await PutAsync(regions.Us.Client, "src", $"old/{i:D3}", $"old {i}");
        }
        await regions.Us.Client.DeleteObjectAsync("src", "old/000"); // a delete marker is current: nothing to copy
        await regions.StopStoreAsync("us");
        regions.SetRules("us", [Rule("all")]);
        await regions.StartStoreAsync("us");

        var reports = new List<Meridian.Storage.Replication.ReplicateExistingResult>();
        var result = await regions.Us.Engine!.ReplicateExistingAsync("src", r => { reports.Add(r); return Task.CompletedTask; }, CancellationToken.None);
        Assert.Equal((250, 249, 249), (result.KeysExamined, result.Processed, result.Queued));
        Assert.True(reports.Count >= 3);
        Assert.True(await regions.Us.Engine.WaitIdleAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal("old 249", await ReadAsync(regions.Eu.Client, "dst", "old/249"));
        Assert.Equal(249, regions.Us.Engine.Snapshot()[0].Completed);

        // A second run finds nothing left to do.
        var again = await regions.Us.Engine.ReplicateExistingAsync("src", null, CancellationToken.None);
        Assert.Equal(0, again.Queued);
    }

    [Fact]
    public async Task Put_DestinationBucketMissing_FailedWithoutRetryWhileOthersComplete()
    {
        await using var regions = await StartAsync([Rule("gone", priority: 1, prefix: "lost/", bucket: "no-such-bucket"), Rule("ok")]);
        var lost = await PutAsync(regions.Us.Client, "src", "lost/a", "a");
        var fine = await PutAsync(regions.Us.Client, "src", "fine", "b");
        await WaitStatusAsync(regions.Us.Client, "src", "lost/a", lost.VersionId, "FAILED");
        await WaitStatusAsync(regions.Us.Client, "src", "fine", fine.VersionId, "COMPLETED");
        var gone = regions.Us.Engine!.Snapshot().Single(s => s.Rule == "gone");
        Assert.Equal((0L, 1L), (gone.OperationsPending, gone.Failed));
        Assert.Contains("NoSuchBucket", gone.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_KeyNotYetReplicated_ProxiedFromSourceWhenTheRuleSaysSo()
    {
        await using var regions = await StartAsync([Rule("all", deleteMarkers: true, proxyMissingReads: true)]);
        await regions.StopStoreAsync("eu");
        await regions.StartStoreAsync("eu", withEngine: false);
        await regions.StopStoreAsync("us");
        await regions.StartStoreAsync("us", withEngine: false); // no replicator: the key stays missing in eu
        await PutAsync(regions.Us.Client, "src", "fresh.css", "body{}", r =>
        {
            r.ContentType = "text/css";
            r.Metadata["build"] = "42";
        });

        using var proxied = await regions.Eu.Client.GetObjectAsync("dst", "fresh.css");
        using (var http = new HttpClient())
        {
            using var raw = new HttpRequestMessage(HttpMethod.Get, $"http://{regions.Eu.Config.Listen}/dst/fresh.css");
            new Support.TestSigner(AccessKey, SecretKey, "eu-west-1").Sign(raw, Support.TestSigner.EmptySha, DateTimeOffset.UtcNow);
            using var answer = await http.SendAsync(raw);
            Assert.Equal("us-east-1", answer.Headers.GetValues(Meridian.Storage.Replication.MissingReadProxy.Header).Single());
        }
        Assert.Equal("text/css", proxied.Headers.ContentType);
        Assert.Equal("42", proxied.Metadata["x-amz-meta-build"]);
        using (var reader = new StreamReader(proxied.ResponseStream))
        {
            Assert.Equal("body{}", await reader.ReadToEndAsync());
        }
        var head = await regions.Eu.Client.GetObjectMetadataAsync("dst", "fresh.css");
        Assert.Equal(6, head.ContentLength);

        // Missing on both sides: NoSuchKey. Deleted here (a delete marker): not proxied.
        var none = await Assert.ThrowsAnyAsync<Amazon.S3.AmazonS3Exception>(() => ReadAsync(regions.Eu.Client, "dst", "nowhere"));
        Assert.Equal("NoSuchKey", none.ErrorCode);
        await PutAsync(regions.Eu.Client, "dst", "fresh.css", "local");
        await regions.Eu.Client.DeleteObjectAsync("dst", "fresh.css");
        var deleted = await Assert.ThrowsAnyAsync<Amazon.S3.AmazonS3Exception>(() => ReadAsync(regions.Eu.Client, "dst", "fresh.css"));
        Assert.Equal("NoSuchKey", deleted.ErrorCode);
    }

    [Fact]
    public async Task Get_MissingOnBothSidesWithTwoWayProxies_NoSuchKeyWithoutBouncing()
    {
        await using var regions = await StartAsync([Rule("to-eu", proxyMissingReads: true)], [Rule("to-us", store: "us", bucket: "src", proxyMissingReads: true)]);
        var error = await Assert.ThrowsAnyAsync<Amazon.S3.AmazonS3Exception>(() => ReadAsync(regions.Eu.Client, "dst", "nowhere"));
        Assert.Equal("NoSuchKey", error.ErrorCode);
        error = await Assert.ThrowsAnyAsync<Amazon.S3.AmazonS3Exception>(() => ReadAsync(regions.Us.Client, "src", "nowhere"));
        Assert.Equal("NoSuchKey", error.ErrorCode);
    }
}
