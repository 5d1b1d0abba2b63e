using System.Globalization;

namespace Meridian.SampleApp;

/// <summary>
/// The injected-failure state of one instance. The faults combine (e.g. <c>unhealthy,slow</c>) because a drill
/// may want /health red while requests still crawl; <c>healthy</c> clears everything.
/// </summary>
public sealed record SampleAppMode
{
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(2);

    public static SampleAppMode Healthy { get; } = new();

    /// <summary>/health answers 503 regardless of dependencies.</summary>
    public bool Unhealthy { get; init; }

    /// <summary>Every non-admin response is delayed by this much; zero means not slow.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Every non-admin endpoint except /health answers this status; null means no injected errors.</summary>
    public int? ErrorStatus { get; init; }

    public bool IsSlow => Delay > TimeSpan.Zero;

    /// <summary>Canonical spelling, accepted back by <see cref="Parse"/>: <c>healthy</c> or e.g. <c>unhealthy,slow,error503</c>.</summary>
    public string Name
    {
        get
        {
            var parts = new List<string>(3);
            if (Unhealthy)
            {
                parts.Add("unhealthy");
            }

            if (IsSlow)
            {
                parts.Add("slow");
            }

            if (ErrorStatus is { } status)
            {
                parts.Add(status == 500 ? "error" : "error" + status.ToString(CultureInfo.InvariantCulture));
            }

            return parts.Count == 0 ? "healthy" : string.Join(',', parts);
        }
    }

    /// <summary>
    /// Parses <c>healthy|unhealthy|slow|error|errorNNN</c>, comma-separated to combine. <paramref name="delayMs"/>
    /// applies to <c>slow</c> (default 2000); <paramref name="status"/> to <c>error</c> (default 500, 400-599).
    /// </summary>
    public static SampleAppMode Parse(string mode, int? delayMs = null, int? status = null)
    {
        ArgumentNullException.ThrowIfNull(mode);
        var result = Healthy;
        foreach (var raw in mode.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var part = raw.ToLowerInvariant();
            if (part == "healthy")
            {
                continue;
            }

            if (part == "unhealthy")
            {
                result = result with { Unhealthy = true };
            }
            else if (part == "slow")
            {
                var ms = delayMs ?? (int)DefaultDelay.TotalMilliseconds;
                if (ms <= 0)
                {
                    throw new FormatException("slow needs delayMs > 0.");
                }

                result = result with { Delay = TimeSpan.FromMilliseconds(ms) };
            }
            else if (part.StartsWith("error", StringComparison.Ordinal))
            {
                var code = part.Length > 5
                    ? int.TryParse(part.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : -1
                    : status ?? 500;
                if (code is < 400 or > 599)
                {
                    throw new FormatException($"'{raw}': the error status must be 400-599.");
                }

                result = result with { ErrorStatus = code };
            }
            else
            {
                throw new FormatException($"Unknown mode '{raw}' (healthy, unhealthy, slow, error, errorNNN).");
            }
        }

        return result;
    }

    public override string ToString() => IsSlow
        ? $"{Name} (delay {Delay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms)"
        : Name;
}
