namespace Meridian.Edge;

/// <summary>The rest of the edge pipeline, ending at the origin forwarder.</summary>
internal delegate Task EdgeRequestDelegate(EdgeRequestContext context);
