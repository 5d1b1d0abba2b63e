using Meridian.Storage.Events;
using Meridian.Storage.Replication;

namespace Meridian.Storage.Tests.Replication;

public sealed class ReplicationJournalTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "meridian-journal-" + Guid.NewGuid().ToString("N"));

    private static ReplicationWorkItem Item(int i) => new()
    {
        Id = 0, Kind = ObjectEventKind.ObjectCreated, Bucket = "b", Key = $"key/{i}", VersionId = $"{i:x32}", Sequence = i, RuleId = "r", Size = i,
        CommittedAt = DateTimeOffset.UnixEpoch.AddSeconds(i),
    };

    [Fact]
    public async Task Open_AfterAppendsAndDones_ReturnsOnlyLiveItemsInOrder()
    {
        using (var journal = new ReplicationJournal(_directory))
        {
            Assert.Empty(journal.Open());
            var added = await journal.AppendAsync([Item(1), Item(2), Item(3)], CancellationToken.None);
            Assert.Equal([1L, 2L, 3L], added.Select(i => i.Id));
            await journal.MarkDoneAsync(2);
        }
        using var reopened = new ReplicationJournal(_directory);
        var live = reopened.Open();
        Assert.Equal(["key/1", "key/3"], live.Select(i => i.Key));
        Assert.Equal(4, (await reopened.AppendAsync([Item(4)], CancellationToken.None))[0].Id); // ids keep increasing
    }

    [Fact]
    public async Task Open_ManyDones_CompactsAndKeepsLiveItems()
    {
        using (var journal = new ReplicationJournal(_directory))
        {
            journal.Open();
            var items = await journal.AppendAsync(Enumerable.Range(0, 5000).Select(Item).ToArray(), CancellationToken.None);
            foreach (var item in items.Skip(10))
            {
                await journal.MarkDoneAsync(item.Id);
            }
            Assert.True(new FileInfo(journal.FilePath).Length < 400_000, "compaction (uncompacted: over 1 MB) rewrote the file with the live items");
        }
        using var reopened = new ReplicationJournal(_directory);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"key/{i}"), reopened.Open().Select(i => i.Key));
    }

    /// <summary>
    /// Bounded fuzz: a crash can leave any prefix of the last append, or garbage after it. Every record before the
    /// damage survives, the damaged tail is dropped, and appends after reopening are readable again.
    /// </summary>
    [Fact]
    public async Task Open_TornOrCorruptTail_EarlierRecordsKept()
    {
        var random = new Random(5);
        for (var round = 0; round < 120; round++)
        {
            var directory = Path.Combine(_directory, round.ToString(System.Globalization.CultureInfo.InvariantCulture));
            long intactLength;
            using (var journal = new ReplicationJournal(directory))
            {
                journal.Open();
                await journal.AppendAsync([Item(1), Item(2)], CancellationToken.None);
                intactLength = new FileInfo(journal.FilePath).Length;
                await journal.AppendAsync([Item(3)], CancellationToken.None);
            }
            var path = Path.Combine(directory, "journal.log");
            var bytes = File.ReadAllBytes(path);
            var lastRecord = bytes.Length - intactLength;
            switch (round % 3)
            {
                case 0: // torn: only a prefix of the last record reached the disk
                    bytes = bytes[..(int)(intactLength + random.NextInt64(0, lastRecord))];
                    break;
                case 1: // a flipped byte anywhere in the last record
                    bytes[intactLength + random.NextInt64(0, lastRecord)] ^= (byte)random.Next(1, 256);
                    break;
                default: // garbage appended after a complete record
                    var garbage = new byte[random.Next(1, 64)];
                    random.NextBytes(garbage);
                    bytes = [.. bytes, .. garbage];
                    break;
            }
            File.WriteAllBytes(path, bytes);
            using var reopened = new ReplicationJournal(directory);
            var keys = reopened.Open().Select(i => i.Key).ToArray();
            var expected = round % 3 == 2 ? new[] { "key/1", "key/2", "key/3" } : ["key/1", "key/2"];
            Assert.Equal(expected, keys);
            await reopened.AppendAsync([Item(9)], CancellationToken.None);
            reopened.Dispose();
            using var again = new ReplicationJournal(directory);
            Assert.Equal([.. expected, "key/9"], again.Open().Select(i => i.Key));
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
