using System.Text;
using System.Text.RegularExpressions;
using Meridian.SampleApp.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Meridian.SampleApp.Endpoints;

/// <summary>
/// The app's stored data: items (written through db-writer, read through db-reader) and the drill's numbered rows
/// (written through db-writer, 201 only after commit; listed from the writer: what survived a failover). When the
/// database cannot do it: 503 with the reason, never a crash.
/// </summary>
internal static partial class DataEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex RunName();

    public static void Map(IEndpointRouteBuilder app, SampleAppOptions options, AppDatabase? database, ILogger logger)
    {
        app.MapPost("/api/items", (Func<HttpContext, Task<IResult>>)(context => WithDatabase(context, database, logger, async db =>
        {
            var (body, error) = await ReadBodyAsync(context.Request).ConfigureAwait(false);
            if (error is not null)
            {
                return Results.Json(new { error }, statusCode: error.StartsWith("body larger", StringComparison.Ordinal)
                    ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest);
            }

            var contentType = context.Request.ContentType ?? "text/plain";
            var (id, writer) = await db.InsertItemAsync(body!, contentType, options.Region, options.InstanceId, context.RequestAborted).ConfigureAwait(false);
            context.Response.Headers.Location = $"/api/items/{id}";
            return Results.Json(
                new { id, region = options.Region, instance = options.InstanceId, writer = writer.ToString() },
                statusCode: StatusCodes.Status201Created);
        })));

        app.MapGet("/api/items/{id}", (HttpContext context, string id) => WithDatabase(context, database, logger, async db =>
        {
            if (!long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var itemId))
            {
                return Results.Json(new { error = $"item id '{id}' is not a positive integer" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var (item, reader) = await db.GetItemAsync(itemId, context.RequestAborted).ConfigureAwait(false);
            if (item is null)
            {
                return Results.Json(
                    new
                    {
                        error = $"item {itemId} not found on the reader {db.ReaderName} → {reader}: it does not exist, or replication " +
                            "has not delivered it to this replica yet (replication lag); retry, or read it through the writer",
                        reader = reader.ToString(),
                    },
                    statusCode: StatusCodes.Status404NotFound);
            }

            return Results.Json(new
            {
                id = item.Id,
                body = item.Body,
                contentType = item.ContentType,
                writtenBy = new { region = item.Region, instance = item.Instance },
                createdAt = item.CreatedAt,
                reader = reader.ToString(),
                region = options.Region,
                instance = options.InstanceId,
            });
        }));

        app.MapPost("/api/drill/{run}/{n}", (HttpContext context, string run, string n) => WithDatabase(context, database, logger, async db =>
        {
            if (ValidateRun(run) is { } bad)
            {
                return bad;
            }

            if (!int.TryParse(n, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                return Results.Json(new { error = $"row number '{n}' is not a non-negative integer" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var writer = await db.InsertDrillRowAsync(run, number, options.Region, options.InstanceId, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new { run, n = number, region = options.Region, instance = options.InstanceId, writer = writer.ToString() },
                statusCode: StatusCodes.Status201Created);
        }));

        app.MapGet("/api/drill/{run}", (HttpContext context, string run) => WithDatabase(context, database, logger, async db =>
        {
            if (ValidateRun(run) is { } bad)
            {
                return bad;
            }

            var (rows, writer) = await db.GetDrillRowsAsync(run, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new { run, count = rows.Count, rows, writer = writer.ToString(), region = options.Region, instance = options.InstanceId });
        }));
    }

    private static async Task<IResult> WithDatabase(HttpContext context, AppDatabase? database, ILogger logger, Func<AppDatabase, Task<IResult>> action)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (database is null)
        {
            return Results.Json(new { error = "no database configured (start the app with --db-writer)" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        try
        {
            return await action(database).ConfigureAwait(false);
        }
        catch (DatabaseUnavailableException ex)
        {
            logger.LogWarning("database unavailable: {Reason}", ex.Message);
            return Results.Json(new { error = "database unavailable", reason = ex.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static IResult? ValidateRun(string run) => RunName().IsMatch(run)
        ? null
        : Results.Json(new { error = $"run name '{run}' must be 1-64 letters, digits, '_', '.' or '-'" }, statusCode: StatusCodes.Status400BadRequest);

    private static async Task<(string? Body, string? Error)> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, $"body larger than {MaxBodyBytes} bytes");
        }

        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, $"body larger than {MaxBodyBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            return (null, "body is not UTF-8 text");
        }

        if (text.Length == 0)
        {
            return (null, "empty body: post JSON or text to store");
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return (null, "body contains NUL characters, which PostgreSQL text cannot store");
        }

        if (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                using var _ = System.Text.Json.JsonDocument.Parse(text);
            }
            catch (System.Text.Json.JsonException ex)
            {
                return (null, $"body is not valid JSON: {ex.Message}");
            }
        }

        return (text, null);
    }
}
