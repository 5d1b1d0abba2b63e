using Meridian.Database;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Meridian.Hosting.Control;

/// <summary>GET /v1/db/status and POST /v1/db/switchover?to=REGION[&amp;cluster=NAME].</summary>
internal static class DatabaseEndpoints
{
    public static void Map(WebApplication app, MeridianHost host)
    {
        app.MapGet("/v1/db/status", (int? events) => host.Options.Roles.HasFlag(MeridianRole.Database)
            ? Results.Json(DatabaseStatusReport.From(host, Math.Clamp(events ?? 20, 0, 1000)), ControlApi.Json)
            : NotRunning());
        app.MapPost("/v1/db/switchover", async (string? to, string? cluster, CancellationToken token) =>
        {
            if (!host.Options.Roles.HasFlag(MeridianRole.Database))
            {
                return NotRunning();
            }
            if (string.IsNullOrWhiteSpace(to))
            {
                return Results.Json(new { error = "to is required: /v1/db/switchover?to=eu-west-1 (a region or member name)" }, ControlApi.Json, statusCode: 400);
            }
            var target = cluster is null ? host.Databases.Count == 1 ? host.Databases[0] : null : host.Databases.FirstOrDefault(d => d.Config.Name == cluster);
            if (target is null)
            {
                var names = string.Join(", ", host.Databases.Select(d => d.Config.Name));
                return Results.Json(new { error = cluster is null ? $"several clusters ({names}): name one with cluster=" : $"no cluster '{cluster}' (known: {names})" },
                    ControlApi.Json, statusCode: 404);
            }
            try
            {
                return Results.Json(await target.SwitchoverAsync(to, token).ConfigureAwait(false), ControlApi.Json);
            }
            catch (DatabaseException ex)
            {
                return Results.Json(new { error = ex.Message }, ControlApi.Json, statusCode: 409);
            }
        });
    }

    private static IResult NotRunning() => Results.Json(new { error = "this process does not run the database role" }, ControlApi.Json, statusCode: 409);
}
