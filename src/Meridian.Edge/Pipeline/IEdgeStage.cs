namespace Meridian.Edge;

/// <summary>
/// A stage between Host matching and the origin forwarder: the seam for caching. A stage may answer the request
/// itself (a cache hit) or call <c>next</c> and observe or wrap what the origin side produced (a cache fill).
/// </summary>
internal interface IEdgeStage
{
    Task InvokeAsync(EdgeRequestContext context, EdgeRequestDelegate next);
}
