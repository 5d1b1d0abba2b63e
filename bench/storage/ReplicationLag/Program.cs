using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

// Replication lag under steady load: PUTs at a fixed rate (open loop: the schedule does not wait for slow answers)
// to the source store, while an observer lists the destination bucket and notes when each key first appears there.
// Lag = first seen in the destination - PUT acknowledged by the source. The observer lists from the lowest key not
// yet seen, every --poll-ms, so the figures include up to one poll interval of observation delay.
var options = Args.Parse(args);
using var source = Client(options.Source, options.SourceRegion);
using var destination = Client(options.Destination, options.DestinationRegion);
var total = options.Rate * options.Seconds;
var acked = new long[total];   // Stopwatch ticks at ack; 0 = not (yet) acknowledged
var seen = new long[total];
var failed = 0;
var body = new byte[options.Size];
Random.Shared.NextBytes(body);
var run = $"lag-{DateTime.UtcNow:HHmmss}-{Environment.ProcessId}/";
string Key(int i) => run + i.ToString("D7", CultureInfo.InvariantCulture);

var clock = Stopwatch.StartNew();
using var stopObserver = new CancellationTokenSource();
var observer = Task.Run(() => ObserveAsync(stopObserver.Token));
var inFlight = new List<Task>();
var interval = TimeSpan.FromSeconds(1.0 / options.Rate);
for (var i = 0; i < total; i++)
{
    var due = interval * i;
    var wait = due - clock.Elapsed;
    if (wait > TimeSpan.Zero)
    {
        await Task.Delay(wait);
    }
    var n = i;
    inFlight.Add(Task.Run(async () =>
    {
        try
        {
            await source.PutObjectAsync(new PutObjectRequest { BucketName = options.SourceBucket, Key = Key(n), InputStream = new MemoryStream(body) });
            acked[n] = clock.ElapsedTicks;
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref failed);
            Console.Error.WriteLine($"PUT {Key(n)}: {e.Message}");
        }
    }));
}
await Task.WhenAll(inFlight);
var putSeconds = clock.Elapsed.TotalSeconds;
var deadline = clock.Elapsed + TimeSpan.FromSeconds(options.DrainSeconds);
while (clock.Elapsed < deadline && Enumerable.Range(0, total).Any(i => acked[i] != 0 && seen[i] == 0))
{
    await Task.Delay(50);
}
await stopObserver.CancelAsync();
await observer;

var lags = Enumerable.Range(0, total).Where(i => acked[i] != 0 && seen[i] != 0)
    .Select(i => Math.Max(0, (seen[i] - acked[i]) * 1000.0 / Stopwatch.Frequency)).Order().ToArray();
var missing = Enumerable.Range(0, total).Count(i => acked[i] != 0 && seen[i] == 0);
double P(double p) => lags.Length == 0 ? double.NaN : lags[Math.Min(lags.Length - 1, (int)Math.Ceiling(p * lags.Length) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"puts={total} acked={total - failed} failed={failed} rate={total / putSeconds:0.0}/s size={options.Size}B replicated={lags.Length} missing={missing} " +
    $"lag_ms p50={P(0.50):0.0} p90={P(0.90):0.0} p99={P(0.99):0.0} max={(lags.Length == 0 ? double.NaN : lags[^1]):0.0} poll_ms={options.PollMs}"));
return missing == 0 && failed == 0 ? 0 : 1;

async Task ObserveAsync(CancellationToken token)
{
    var lowest = 0; // every key below this one has been seen
    while (!token.IsCancellationRequested)
    {
        while (lowest < total && seen[lowest] != 0)
        {
            lowest++;
        }
        try
        {
            string? startAfter = lowest == 0 ? null : Key(lowest - 1);
            string? continuation = null;
            do
            {
                var page = await destination.ListObjectsV2Async(new ListObjectsV2Request
                {
                    BucketName = options.DestinationBucket, Prefix = run, StartAfter = continuation is null ? startAfter : null,
                    ContinuationToken = continuation, MaxKeys = 1000,
                }, token);
                var now = clock.ElapsedTicks;
                foreach (var o in page.S3Objects ?? [])
                {
                    var i = int.Parse(o.Key.AsSpan(run.Length), CultureInfo.InvariantCulture);
                    if (seen[i] == 0)
                    {
                        seen[i] = now;
                    }
                }
                continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
            }
            while (continuation is not null && !token.IsCancellationRequested);
            await Task.Delay(options.PollMs, token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"list: {e.Message}");
            await Task.Delay(100, CancellationToken.None);
        }
    }
}

AmazonS3Client Client(string url, string region) => new(new BasicAWSCredentials(options.AccessKey, options.SecretKey), new AmazonS3Config
{
    ServiceURL = url, ForcePathStyle = true, AuthenticationRegion = region, MaxErrorRetry = 0, MaxConnectionsPerServer = 256,
});

internal sealed record Args(string Source, string SourceRegion, string SourceBucket, string Destination, string DestinationRegion, string DestinationBucket,
    string AccessKey, string SecretKey, int Rate, int Seconds, int Size, int PollMs, int DrainSeconds)
{
    public static Args Parse(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            map[args[i].TrimStart('-')] = args[i + 1];
        }
        string S(string name, string? fallback = null) => map.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"--{name} is required");
        int I(string name, int fallback) => map.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new Args(S("source"), S("source-region", "us-east-1"), S("source-bucket"), S("destination"), S("destination-region", "eu-west-1"),
            S("destination-bucket"), S("access-key"), S("secret-key"), I("rate", 200), I("seconds", 60), I("size", 4096), I("poll-ms", 10), I("drain-seconds", 30));
    }
}
