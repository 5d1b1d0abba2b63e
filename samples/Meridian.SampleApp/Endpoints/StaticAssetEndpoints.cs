using Meridian.SampleApp.Assets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Meridian.SampleApp.Endpoints;

/// <summary>
/// GET/HEAD /static/{name}: immutable assets with validators, so the edge can cache them for a year and
/// revalidate cheaply (304) when it must.
/// </summary>
internal static class StaticAssetEndpoints
{
    private const string Immutable = StaticAssetCatalog.CacheControl;

    public static void Map(IEndpointRouteBuilder app, SampleAppOptions options)
    {
        var store = StaticAssetStore.Instance;
        // HTTP dates have second precision; truncate so If-Modified-Since comparisons are exact.
        var lastModified = DateTimeOffset.FromUnixTimeSeconds(options.AssetsLastModified.ToUnixTimeSeconds());

        app.MapMethods("/static/{**name}", [HttpMethods.Get, HttpMethods.Head], async (HttpContext context, string name) =>
        {
            if (!store.TryGet(name, out var asset))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            var response = context.Response;
            var headers = response.GetTypedHeaders();
            response.Headers.CacheControl = Immutable;
            headers.ETag = asset.ETag;
            headers.LastModified = lastModified;

            if (IsNotModified(context.Request.GetTypedHeaders(), asset.ETag, lastModified))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }

            response.ContentType = asset.ContentType;
            response.ContentLength = asset.Content.Length;
            if (HttpMethods.IsGet(context.Request.Method))
            {
                await response.Body.WriteAsync(asset.Content, context.RequestAborted).ConfigureAwait(false);
            }
        });
    }

    private static bool IsNotModified(RequestHeaders request, EntityTagHeaderValue etag, DateTimeOffset lastModified)
    {
        // RFC 9110 13.2.2: If-None-Match wins; If-Modified-Since only counts when it is absent.
        if (request.IfNoneMatch is { Count: > 0 } tags)
        {
            return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false));
        }

        return request.IfModifiedSince is { } since && since >= lastModified;
    }
}
