using System.Text.Json;
using Meridian.Storage.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Meridian.Hosting.Control;

/// <summary>
/// GET /v1/storage/replication (per-rule metrics, like S3 RTC's) and POST /v1/storage/replicate-existing?bucket=
/// (S3 Batch Replication's job), whose response streams one JSON line per progress report, the last one the total.
/// </summary>
internal static class StorageReplicationEndpoints
{
    public static void Map(IEndpointRouteBuilder app, MeridianHost host)
    {
        app.MapGet("/v1/storage/replication", () => Results.Json(host.Replication.SelectMany(e => e.Snapshot()).ToArray(), ControlApi.Json));
        app.MapPost("/v1/storage/replicate-existing", (HttpContext context, string? bucket) => ReplicateExistingAsync(context, host, bucket));
    }

    private static async Task ReplicateExistingAsync(HttpContext context, MeridianHost host, string? bucket)
    {
        var response = context.Response;
        if (string.IsNullOrWhiteSpace(bucket))
        {
            await Results.Json(new { error = "bucket is required: /v1/storage/replicate-existing?bucket=assets-us-east-1" }, ControlApi.Json, statusCode: 400).ExecuteAsync(context);
            return;
        }
        var engine = host.Replication.FirstOrDefault(e => e.HasRules(bucket));
        if (engine is null)
        {
            var known = host.Replication.SelectMany(e => e.Buckets).ToArray();
            await Results.Json(new { error = $"no replication rules for bucket '{bucket}' in this process" +
                (known.Length == 0 ? " (no store here replicates)" : $"; buckets with rules: {string.Join(", ", known)}") }, ControlApi.Json, statusCode: 404)
                .ExecuteAsync(context);
            return;
        }
        response.ContentType = "application/x-ndjson";
        await response.StartAsync(context.RequestAborted); // headers now: the client waits for lines, not for the whole job
        var line = new JsonSerializerOptions(ControlApi.Json) { WriteIndented = false };
        // One line per report as it happens; the last line is the total.
        await engine.ReplicateExistingAsync(bucket, async report =>
        {
            await response.WriteAsync(JsonSerializer.Serialize(report, line) + "\n", context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
        }, context.RequestAborted);
    }
}
