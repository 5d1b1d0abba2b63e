using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Meridian.SampleApp.Endpoints;

/// <summary>The application proper: who answered, a short-TTL dynamic resource, and a non-idempotent write.</summary>
internal static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app, SampleAppOptions options, SampleAppControl control)
    {
        // Never cached anywhere: it exists to show which region answered this very request.
        app.MapGet("/api/region", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(new { region = options.Region, instance = options.InstanceId, time = options.Time.GetUtcNow() });
        });

        // The origin declares its own short TTL; the edge runs with min TTL 0 and honours it (tutorial Pro Tip).
        app.MapGet("/api/time", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=5";
            return Results.Json(new { region = options.Region, instance = options.InstanceId, time = options.Time.GetUtcNow() });
        });

        // A write: counted per instance so tests can prove a proxy did not replay it on another origin.
        app.MapPost("/api/orders", (HttpContext context) =>
        {
            var order = control.NextOrder();
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(
                new { order, instance = options.InstanceId, region = options.Region },
                statusCode: StatusCodes.Status201Created);
        });

        app.MapGet("/api/orders/count", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(new { count = control.OrderCount, instance = options.InstanceId, region = options.Region });
        });

        app.MapGet("/", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            var html = string.Create(CultureInfo.InvariantCulture, $"""
                <!doctype html>
                <html><head><title>Meridian sample</title><link rel="stylesheet" href="/static/app.css"></head>
                <body><header><img src="/static/logo.svg" alt="" width="48" height="48">
                <h1>Served from <span class="region">{Escape(options.Region)}</span>
                by <span class="instance">{Escape(options.InstanceId)}</span></h1></header></body></html>
                """);
            return Results.Content(html, "text/html; charset=utf-8");
        });
    }

    private static string Escape(string text) => System.Net.WebUtility.HtmlEncode(text);
}
