using Meridian.Database;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Meridian.Hosting.Control;

/// <summary>
/// GET /v1/db/status, POST /v1/db/switchover?to=REGION[&amp;cluster=NAME], and health-check targets for DNS
/// (Patroni-style): GET /v1/db/check/{cluster}/{member}/writer answers 200 only for the current writer while it
/// accepts writes, .../reader 200 for any reachable member that is not fenced; 503 with the reason otherwise. HTTP
/// health checks on these paths make `db-writer` (failover/multivalue records) and `db-reader` (latency records)
/// follow role changes with the existing DNS machinery.
/// </summary>
internal static class DatabaseEndpoints
{
    public static void Map(WebApplication app, MeridianHost host)
    {
        app.MapGet("/v1/db/status", (int? events) => host.Options.Roles.HasFlag(MeridianRole.Database)
            ? Results.Json(DatabaseStatusReport.From(host, Math.Clamp(events ?? 20, 0, 1000)), ControlApi.Json)
            : NotRunning());
        app.MapGet("/v1/db/check/{cluster}/{member}/{role}", (string cluster, string member, string role) => Check(host, cluster, member, role));
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

    private static IResult Check(MeridianHost host, string cluster, string member, string role)
    {
        if (host.Databases.FirstOrDefault(d => d.Config.Name == cluster) is not { } database)
        {
            return Results.Text($"no cluster '{cluster}'", statusCode: 404);
        }
        var controller = database.Controller;
        if (database.Config.FindMember(member) is null)
        {
            return Results.Text($"cluster '{cluster}' has no member '{member}'", statusCode: 404);
        }
        controller.Members.TryGetValue(member, out var observation);
        var (ok, why) = role switch
        {
            "writer" => controller.Writer == member && controller.AcceptsWrites
                ? (true, "writer")
                : (false, controller.Writer == member ? $"writer but not accepting writes ({controller.State})" : $"not the writer ('{controller.Writer}' is)"),
            "reader" => observation is { Reachable: true } && !controller.PendingRejoin.Contains(member)
                ? (true, observation.InRecovery ? "replica" : "primary")
                : (false, observation?.Error ?? "fenced"),
            _ => (false, $"unknown role '{role}' (writer or reader)"),
        };
        return Results.Text(why, statusCode: ok ? 200 : role is "writer" or "reader" ? 503 : 404);
    }

    private static IResult NotRunning() => Results.Json(new { error = "this process does not run the database role" }, ControlApi.Json, statusCode: 409);
}
