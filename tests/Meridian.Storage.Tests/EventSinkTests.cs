using Amazon.S3.Model;
using Meridian.Storage.Events;
using Meridian.Storage.Tests.Support;
using Meridian.Topology.Model;

namespace Meridian.Storage.Tests;

/// <summary>The replication hook: one event per committed change, in order, after the change is readable.</summary>
public sealed class EventSinkTests
{
    private sealed class RecordingSink(Func<ObjectEvent, Task>? onEvent = null) : IObjectEventSink
    {
        public List<ObjectEvent> Events { get; } = [];

        public async ValueTask OnCommittedAsync(ObjectEvent change, CancellationToken cancellationToken)
        {
            if (onEvent is not null)
            {
                await onEvent(change);
            }
            lock (Events)
            {
                Events.Add(change);
            }
        }
    }

    [Fact]
    public async Task Changes_EachReportedOnceWithKindVersionAndIncreasingSequence()
    {
        var sink = new RecordingSink();
        await using var store = await TestStore.StartAsync([new BucketConfig { Name = "events", Versioning = true }], sink: sink);
        using var s3 = SdkClients.For(store);
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = "events", Key = "k", ContentBody = "abc" });
        await s3.PutObjectTaggingAsync(new PutObjectTaggingRequest { BucketName = "events", Key = "k", Tagging = new Tagging { TagSet = [new Tag { Key = "a", Value = "b" }] } });
        var marker = await s3.DeleteObjectAsync("events", "k");
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = "events", Key = "k", VersionId = put.VersionId });
        // A refused request (the key's latest is a delete marker) changes nothing and reports nothing.
        await Assert.ThrowsAnyAsync<Amazon.S3.AmazonS3Exception>(() => s3.CopyObjectAsync("events", "k", "events", "k2"));

        Assert.Equal([ObjectEventKind.ObjectCreated, ObjectEventKind.TagsChanged, ObjectEventKind.DeleteMarkerCreated, ObjectEventKind.VersionDeleted],
            sink.Events.Select(e => e.Kind));
        Assert.Equal(put.VersionId, sink.Events[0].VersionId);
        Assert.Equal(3, sink.Events[0].Size);
        Assert.Equal(marker.VersionId, sink.Events[2].VersionId);
        Assert.Equal(put.VersionId, sink.Events[3].VersionId);
        Assert.All(sink.Events, e => Assert.Equal(("test", "events", "k"), (e.Store, e.Bucket, e.Key)));
        Assert.True(sink.Events[0].Sequence < sink.Events[2].Sequence);
    }

    [Fact]
    public async Task Sink_SeesTheObjectAlreadyReadableWhenCalled()
    {
        TestStore? store = null;
        var readable = new List<bool>();
        var sink = new RecordingSink(async change =>
        {
            using var s3 = SdkClients.For(store!);
            using var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = change.Bucket, Key = change.Key, VersionId = change.VersionId });
            readable.Add(get.ETag == $"\"{change.ETag}\"");
        });
        store = await TestStore.StartAsync([new BucketConfig { Name = "events", Versioning = true }], sink: sink);
        await using (store)
        {
            using var s3 = SdkClients.For(store);
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "events", Key = "visible", ContentBody = "now" });
        }
        Assert.Equal([true], readable);
    }
}
