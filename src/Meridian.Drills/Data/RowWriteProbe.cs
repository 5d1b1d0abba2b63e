using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Meridian.Drills.Data;

/// <summary>
/// The drill's row writer: POSTs numbered rows through the sample app at a fixed rate (the app inserts each through
/// <c>db-writer</c> and answers 201 only after commit), notes the replicas' lag at the outage, and after the restore
/// reads the run back through the writer: rows acknowledged before the outage and missing then are the database RPO;
/// outage → first acknowledged write after writes failed is the database RTO.
/// </summary>
public sealed class RowWriteProbe : IDisposable
{
    private const int MaxListedMissing = 20;

    private readonly RowDrillOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<int, RowWrite> _writes = new();
    private readonly List<string> _notes = [];
    private long _start;
    private long _outageTicks = long.MaxValue;
    private IReadOnlyList<ReplicaLag>? _lag;

    public RowWriteProbe(RowDrillOptions options, TimeProvider time, TimeSpan requestTimeout)
    {
        if (options.Rate is < 1 or > 1000)
        {
            throw new DrillException($"row write rate {options.Rate}/s is outside 1..1000");
        }

        _options = options;
        _time = time;
        Run = $"{options.Prefix}{time.GetUtcNow():yyyyMMddTHHmmss}-{Guid.NewGuid().ToString("N")[..8]}";
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, ConnectTimeout = requestTimeout })
        {
            BaseAddress = options.Target,
            Timeout = requestTimeout,
        };
    }

    /// <summary>This drill's run name: its rows are drill_rows(run, 0..n).</summary>
    public string Run { get; }

    private TimeSpan OutageAt => TimeSpan.FromTicks(Interlocked.Read(ref _outageTicks));

    /// <summary>Before the drill: null when the app can store rows, else why not (no database, database down...).</summary>
    public async Task<string?> PreflightAsync(CancellationToken token)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, $"api/drill/{Run}", token).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK
                ? null
                : $"{_options.Target} answered {(int)response.StatusCode}: {await ReasonAsync(response, token).ConfigureAwait(false)}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return $"{_options.Target}: {ex.Message}";
        }
    }

    /// <summary>Writes until <paramref name="stop"/>; offsets count from <paramref name="start"/> (a <see cref="TimeProvider"/> timestamp).</summary>
    public async Task RunAsync(long start, CancellationToken stop)
    {
        _start = start;
        var inFlight = new List<Task>();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / _options.Rate), _time);
        var n = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                inFlight.RemoveAll(t => t.IsCompleted);
                inFlight.Add(WriteAsync(n++));
            }
        }
        catch (OperationCanceledException)
        {
            // The drill ended.
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    /// <summary>Marks the outage's start and asks for the replicas' lag at that moment.</summary>
    public async Task OnOutageAsync(TimeSpan at, CancellationToken token)
    {
        Interlocked.Exchange(ref _outageTicks, at.Ticks);
        if (_options.Lag is not { } lag)
        {
            _notes.Add("replica lag at the outage: not known (no source given)");
            return;
        }

        try
        {
            _lag = await lag(token).ConfigureAwait(false);
            if (_lag is null)
            {
                _notes.Add("replica lag at the outage: not known (the control API has no database status)");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException or JsonException)
        {
            _notes.Add($"replica lag at the outage: not known ({ex.Message})");
        }
    }

    /// <summary>After the restore: reads the run back through the writer (bounded retries), then reports.</summary>
    public async Task<DatabaseTierReport> FinishAsync(CancellationToken token)
    {
        var outage = OutageAt;
        var present = await ReadBackAsync(token).ConfigureAwait(false);
        var writes = _writes.Values.OrderBy(w => w.N).ToArray();
        var acked = writes.Where(w => w.AckedAt is not null).ToArray();
        var before = acked.Where(w => w.AckedAt < outage).ToArray();
        var after = acked.Where(w => w.AckedAt >= outage).ToArray();
        var missing = present is null ? null : before.Where(w => !present.Contains(w.N)).Select(w => w.N).ToArray();
        int? missingAfter = present is null ? null : after.Count(w => !present.Contains(w.N));

        var writerBefore = before.OrderBy(w => w.AckedAt).LastOrDefault()?.Writer;
        var firstFailure = writes.Where(w => w.AckedAt is null && w.At >= outage).OrderBy(w => w.At).FirstOrDefault();
        TimeSpan? recovery = null;
        if (firstFailure is not null)
        {
            // The first acknowledged write started after writes broke; on a different database when the writer moved.
            var recovered = after.Where(w => w.At >= firstFailure.At).OrderBy(w => w.AckedAt).ToArray();
            var onNewWriter = recovered.FirstOrDefault(w => writerBefore is not null && w.Writer != writerBefore);
            recovery = (onNewWriter ?? recovered.FirstOrDefault())?.AckedAt - outage;
        }
        else if (outage != TimeSpan.MaxValue)
        {
            _notes.Add("no row write failed during the drill: the database tier was not disturbed (recovery not applicable)");
        }

        return new DatabaseTierReport(
            Run,
            Attempted: writes.Length,
            Acknowledged: acked.Length,
            Failed: writes.Length - acked.Length,
            AcknowledgedBeforeOutage: before.Length,
            MissingAfterRecovery: missing?.Length,
            MissingAcknowledgedAfterOutage: missingAfter,
            WriterBeforeOutage: writerBefore,
            WriterAfter: acked.OrderBy(w => w.AckedAt).LastOrDefault()?.Writer,
            FirstFailedWrite: firstFailure is null ? null : firstFailure.At - outage,
            WriteRecovery: recovery,
            LagAtOutage: _lag,
            Notes: _notes.ToArray(),
            MissingRows: missing?.Take(MaxListedMissing).ToArray() ?? [],
            FirstError: writes.Where(w => w.Error is not null).OrderBy(w => w.At).FirstOrDefault()?.Error);
    }

    public void Dispose() => _http.Dispose();

    private async Task WriteAsync(int n)
    {
        var at = _time.GetElapsedTime(_start);
        try
        {
            using var response = await SendAsync(HttpMethod.Post, $"api/drill/{Run}/{n}", CancellationToken.None).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                using var body = await JsonDocumentAsync(response).ConfigureAwait(false);
                var writer = body?.RootElement.TryGetProperty("writer", out var w) == true ? w.GetString() : null;
                _writes[n] = new RowWrite(n, at, _time.GetElapsedTime(_start), writer, null);
                return;
            }

            _writes[n] = new RowWrite(n, at, null, null, $"HTTP {(int)response.StatusCode}: {await ReasonAsync(response, CancellationToken.None).ConfigureAwait(false)}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            _writes[n] = new RowWrite(n, at, null, null, ex is TaskCanceledException ? "timed out" : ex.Message);
        }
    }

    private async Task<HashSet<int>?> ReadBackAsync(CancellationToken token)
    {
        var started = _time.GetTimestamp();
        string? last = null;
        do
        {
            try
            {
                using var response = await SendAsync(HttpMethod.Get, $"api/drill/{Run}", token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    using var body = await JsonDocumentAsync(response).ConfigureAwait(false);
                    if (body is not null && body.RootElement.TryGetProperty("rows", out var rows))
                    {
                        return rows.EnumerateArray().Select(r => r.GetInt32()).ToHashSet();
                    }
                }

                last = $"HTTP {(int)response.StatusCode}: {await ReasonAsync(response, token).ConfigureAwait(false)}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                last = ex.Message;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), _time, token).ConfigureAwait(false);
        }
        while (_time.GetElapsedTime(started) < _options.RecoveryWait);

        _notes.Add($"rows could not be read back within {_options.RecoveryWait.TotalSeconds:0} s ({last}): RPO not known");
        return null;
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, CancellationToken token)
    {
        var request = new HttpRequestMessage(method, path);
        if (_options.Host is { } host)
        {
            request.Headers.Host = host;
        }

        return _http.SendAsync(request, token);
    }

    private static async Task<JsonDocument?> JsonDocumentAsync(HttpResponseMessage response)
    {
        try
        {
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The app's reason (its 503 body says why), else the status text.</summary>
    private static async Task<string> ReasonAsync(HttpResponseMessage response, CancellationToken token)
    {
        var text = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
        try
        {
            using var body = JsonDocument.Parse(text);
            foreach (var key in new[] { "reason", "error" })
            {
                if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
        }

        return text.Length > 200 ? text[..200] : text.Length > 0 ? text : response.ReasonPhrase ?? "";
    }

    private sealed record RowWrite(int N, TimeSpan At, TimeSpan? AckedAt, string? Writer, string? Error);
}
