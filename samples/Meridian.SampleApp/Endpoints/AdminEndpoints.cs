using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Meridian.SampleApp.Endpoints;

/// <summary>GET/POST /admin/mode: the fault switch used by tests and the failover drill.</summary>
internal static class AdminEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(IEndpointRouteBuilder app, SampleAppControl control, ILogger logger)
    {
        var admin = app.MapGroup("/admin");
        admin.AddEndpointFilter(async (context, next) =>
            AdminAccess.IsAllowed(context.HttpContext.Connection.RemoteIpAddress)
                ? await next(context).ConfigureAwait(false)
                : Results.Json(new { error = "admin endpoints accept loopback clients only" }, statusCode: StatusCodes.Status403Forbidden));

        admin.MapGet("/mode", () => Describe(control.Mode));
        admin.MapPost("/mode", async (HttpContext context) =>
        {
            ModeRequest request;
            try
            {
                request = await ReadAsync(context.Request).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is JsonException or FormatException)
            {
                return Results.Json(new { error = ex.Message }, statusCode: StatusCodes.Status400BadRequest);
            }

            if (string.IsNullOrWhiteSpace(request.Mode))
            {
                return Results.Json(new { error = "mode is required (healthy, unhealthy, slow, error, errorNNN)" }, statusCode: StatusCodes.Status400BadRequest);
            }

            SampleAppMode mode;
            try
            {
                mode = SampleAppMode.Parse(request.Mode, request.DelayMs, request.Status);
            }
            catch (FormatException ex)
            {
                return Results.Json(new { error = ex.Message }, statusCode: StatusCodes.Status400BadRequest);
            }

            control.Mode = mode;
            logger.LogWarning("Mode set to {Mode}", mode);
            return Describe(mode);
        });
    }

    private static IResult Describe(SampleAppMode mode) => Results.Json(new
    {
        mode = mode.Name,
        unhealthy = mode.Unhealthy,
        slow = mode.IsSlow,
        delayMs = (long)mode.Delay.TotalMilliseconds,
        errorStatus = mode.ErrorStatus,
    });

    private static async Task<ModeRequest> ReadAsync(HttpRequest request)
    {
        var body = new ModeRequest(null, null, null);
        if (request.HasJsonContentType() && request.ContentLength is not 0)
        {
            body = await JsonSerializer.DeserializeAsync<ModeRequest>(request.Body, Json, request.HttpContext.RequestAborted)
                .ConfigureAwait(false) ?? body;
        }

        var query = request.Query;
        return new ModeRequest(
            query.TryGetValue("mode", out var mode) ? mode.ToString() : body.Mode,
            ParseInt(query, "delayMs") ?? body.DelayMs,
            ParseInt(query, "status") ?? body.Status);
    }

    private static int? ParseInt(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var value))
        {
            return null;
        }

        return int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new FormatException($"{name} must be an integer.");
    }
}
