using Meridian.Edge.Caching;
using Microsoft.AspNetCore.Http;

namespace Meridian.Edge.Http1;

/// <summary>
/// A cache-stage hook the direct HTTP/1.1 path can serve: the origin request is the key's shape and nothing else, and
/// the response needs only its status (no revalidation validators, no storing, no body of the stage's own).
/// </summary>
internal interface IDirectPassHook : IOriginExchangeHook
{
    ForwardedRequestShape Shape { get; }

    /// <summary>As <see cref="IOriginExchangeHook.OnResponse"/>, after the origin's headers are on the response.</summary>
    bool OnResponse(HttpContext http, int status);
}
