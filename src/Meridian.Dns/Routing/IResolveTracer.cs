namespace Meridian.Dns.Routing;

/// <summary>
/// Receives each decision the evaluator makes, for the explain API. The answer path passes null, so tracing costs
/// nothing there; messages are only formatted when a tracer is present.
/// </summary>
public interface IResolveTracer
{
    void Step(int depth, string message);
}
