namespace Meridian.Drills.Client;

/// <summary>What the synthetic client saw at one moment on one path.</summary>
/// <param name="Path">"dns", "edge" or "direct".</param>
/// <param name="Offset">Time since the drill started.</param>
/// <param name="Ok">A DNS answer, or an HTTP 2xx/3xx.</param>
/// <param name="Detail">The answer addresses, "HTTP 200 from us-east-1", or the error.</param>
/// <param name="Region">The region that answered (X-Region header), or whose address DNS returned.</param>
/// <param name="Latency">How long the request took.</param>
public sealed record ProbeSample(string Path, TimeSpan Offset, bool Ok, string Detail, string? Region, TimeSpan Latency);
