using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Edge.Http1;

/// <summary>
/// The outcome of one origin attempt on the direct path, in the YARP path's terms so the failover loop treats both
/// alike: the forwarder error (None when the origin answered), its exception, and the origin's status if any.
/// </summary>
internal readonly record struct Http1AttemptResult(ForwarderError Error, Exception? Exception, int? Status);
