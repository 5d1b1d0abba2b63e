using Meridian.SampleApp.Dependencies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Meridian.SampleApp.Endpoints;

/// <summary>
/// GET /health: 200 only when every dependency answers and the admin mode allows it; otherwise 503 naming what
/// failed, so whoever is failing over can see why.
/// </summary>
internal static class HealthEndpoint
{
    public static void Map(IEndpointRouteBuilder app, SampleAppOptions options, SampleAppControl control, DependencyHealth dependencies)
    {
        app.MapMethods("/health", [HttpMethods.Get, HttpMethods.Head], async (HttpContext context) =>
        {
            var mode = control.Mode;
            var results = await dependencies.CheckAllAsync(context.RequestAborted).ConfigureAwait(false);
            var failed = results.Where(r => !r.Healthy).Select(r => $"{r.Name}: {r.Detail}").ToList();
            if (mode.Unhealthy)
            {
                failed.Insert(0, "admin mode: unhealthy");
            }

            var ok = failed.Count == 0;
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(
                new
                {
                    status = ok ? "ok" : "unhealthy",
                    region = options.Region,
                    instance = options.InstanceId,
                    mode = mode.Name,
                    checks = results.Select(r => new
                    {
                        name = r.Name,
                        ok = r.Healthy,
                        detail = r.Detail,
                        ms = Math.Round(r.Elapsed.TotalMilliseconds, 1),
                    }),
                    failed,
                },
                statusCode: ok ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }
}
