using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

// Closed-loop PUT throughput with SigV4 (AWSSDK.S3, default checksum settings): --concurrency workers, each
// sending its next PUT when the previous one is answered, for --warmup-seconds untimed, then until --max-requests
// PUTs or --seconds have passed, whichever comes first. Keys rotate over --keys names so a run overwrites instead of
// filling the disk. Prints one line: requests, errors, req/s, MB/s (10^6 bytes of object body), latency p50/p99,
// the driver's own CPU per request and, with --server-pid, the store's CPU per request over the timed phase (the client core can be the bottleneck: the SDK hashes and signs the body).
var options = Args.Parse(args);
var body = File.ReadAllBytes(options.File);
using var client = new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), new AmazonS3Config
{
    ServiceURL = options.Endpoint, ForcePathStyle = true, AuthenticationRegion = options.Region, MaxErrorRetry = 0,
    MaxConnectionsPerServer = options.Concurrency,
});
string Key(long i) => options.Prefix + (i % options.Keys).ToString("D6", CultureInfo.InvariantCulture);

await RunAsync(TimeSpan.FromSeconds(options.WarmupSeconds), long.MaxValue, latencies: null);
var latencies = new double[options.MaxRequests];
var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
var server0 = ServerCpuSeconds();
var (done, errors, elapsed) = await RunAsync(TimeSpan.FromSeconds(options.Seconds), options.MaxRequests, latencies);
var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
var server = ServerCpuSeconds() - server0;

var ok = latencies.AsSpan(0, (int)done).ToArray().Where(l => l > 0).Order().ToArray();
double P(double p) => ok.Length == 0 ? double.NaN : ok[Math.Min(ok.Length - 1, (int)Math.Ceiling(p * ok.Length) - 1)];
var seconds = elapsed.TotalSeconds;
var serverField = options.ServerPid > 0
    ? string.Create(CultureInfo.InvariantCulture, $" server_cpu_us_per_req={(done == 0 ? 0 : server * 1e6 / done):0}") : "";
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"op=PUT size={body.Length} concurrency={options.Concurrency} requests={done} errors={errors} seconds={seconds:0.00} " +
    $"rps={ok.Length / seconds:0} mbps={ok.Length * (double)body.Length / seconds / 1e6:0.0} p50_ms={P(0.50):0.00} p99_ms={P(0.99):0.00} " +
    $"client_cpu_us_per_req={(done == 0 ? 0 : cpu.TotalMicroseconds / done):0}{serverField}"));
return errors == 0 && ok.Length > 0 ? 0 : 1;

// utime + stime of --server-pid (the store, on the same machine) in seconds, from /proc/PID/stat; 0 without it.
double ServerCpuSeconds()
{
    if (options.ServerPid <= 0)
    {
        return 0;
    }
    var stat = File.ReadAllText($"/proc/{options.ServerPid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields from the 3rd (state) on
    const double ticksPerSecond = 100; // USER_HZ: 100 on every Linux architecture .NET runs on
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ticksPerSecond;
}

// Runs the workers until `limit` requests were started or `duration` passed; returns (started, errors, elapsed).
async Task<(long Done, long Errors, TimeSpan Elapsed)> RunAsync(TimeSpan duration, long limit, double[]? latencies)
{
    long next = -1, errors = 0;
    var clock = Stopwatch.StartNew();
    async Task Worker()
    {
        while (clock.Elapsed < duration)
        {
            var i = Interlocked.Increment(ref next);
            if (i >= limit)
            {
                return;
            }
            var start = Stopwatch.GetTimestamp();
            try
            {
                await client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = options.Bucket, Key = Key(i), InputStream = new MemoryStream(body, writable: false),
                });
                if (latencies is not null)
                {
                    latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
            }
            catch (Exception e)
            {
                if (Interlocked.Increment(ref errors) <= 5)
                {
                    Console.Error.WriteLine($"PUT {Key(i)}: {e.GetType().Name}: {e.Message}");
                }
            }
        }
    }
    await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(Worker)));
    var elapsed = clock.Elapsed;
    return (Math.Min(Interlocked.Read(ref next) + 1, limit), errors, elapsed);
}

internal sealed record Args(string Endpoint, string Region, string Bucket, string AccessKey, string SecretKey, string File, string Prefix,
    int Concurrency, int MaxRequests, int Seconds, int WarmupSeconds, int Keys, int ServerPid)
{
    public static Args Parse(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            map[args[i].TrimStart('-')] = args[i + 1];
        }
        string S(string name, string? fallback = null) => map.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"--{name} is required");
        int I(string name, int fallback, int min, int max)
        {
            var v = map.TryGetValue(name, out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : fallback;
            return v >= min && v <= max ? v : throw new ArgumentException($"--{name} must be in {min}..{max}");
        }
        return new Args(S("endpoint"), S("region", "us-east-1"), S("bucket"), S("access-key"), S("secret-key"), S("file"), S("prefix", "put/"),
            I("concurrency", 16, 1, 1024), I("max-requests", 200_000, 1, 10_000_000), I("seconds", 10, 1, 600), I("warmup-seconds", 2, 0, 60),
            I("keys", 256, 1, 100_000), I("server-pid", 0, 0, int.MaxValue));
    }
}
