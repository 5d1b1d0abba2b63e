using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Meridian.Hosting.Control;

/// <summary>
/// The HTTP control API on Kestrel, bound to loopback by default: status, health events, explain (resolve) and
/// reload. JSON only; `meridian status` and `meridian resolve` are its clients.
/// </summary>
public sealed class ControlApi : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly MeridianHost _host;
    private readonly ILoggerFactory _loggers;
    private WebApplication? _app;

    internal ControlApi(MeridianHost host, ILoggerFactory loggers)
    {
        _host = host;
        _loggers = loggers;
    }

    public IPEndPoint? Endpoint { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var listen = _host.Topology.Control.Listen;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_loggers);
        builder.WebHost.ConfigureKestrel(k => k.Listen(listen));
        var app = builder.Build();
        Map(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"control.listen: cannot bind {listen} ({ex.Message})", ex);
        }

        _app = app;
        var address = app.Urls.Select(u => new Uri(u)).First();
        Endpoint = new IPEndPoint(IPAddress.Parse(address.Host.Trim('[', ']')), address.Port);
        _loggers.CreateLogger("Meridian.Control").LogInformation("Control API on http://{Endpoint}", Endpoint);
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/v1/status", () => Results.Json(StatusReport.From(_host), Json));
        app.MapGet("/v1/events", (int? limit) =>
        {
            var events = _host.Health?.Events.Snapshot() ?? [];
            return Results.Json(events.TakeLast(Math.Clamp(limit ?? 100, 1, 10_000)), Json);
        });
        app.MapPost("/v1/drill/outage", (string? region, string? mode) => DrillAsync(region, mode, inject: true));
        app.MapPost("/v1/drill/restore", (string? region) => DrillAsync(region, null, inject: false));
        app.MapGet("/v1/resolve", (string? name, string? type, string? client) => Resolve(name, type, client));
        app.MapPost("/v1/edge/invalidate", (HttpRequest request) => EdgeInvalidate(request));
        StorageReplicationEndpoints.Map(app, _host);
        app.MapGet("/v1/edge/cache", () => _host.Edge is { } edge
            ? Results.Json(edge.GetCacheMetrics(), Json)
            : Results.Json(new { error = "this process does not run the edge role" }, Json, statusCode: 409));
        DatabaseEndpoints.Map(app, _host);
        app.MapPost("/v1/reload", () =>
        {
            var result = _host.ReloadFromFile();
            return Results.Json(new
            {
                applied = result.Succeeded,
                errors = result.Errors.Select(e => e.ToString()),
                warnings = result.Warnings.Select(e => e.ToString()),
            }, Json, statusCode: result.Succeeded ? 200 : 422);
        });
    }

    private async Task<IResult> DrillAsync(string? region, string? mode, bool inject)
    {
        if (string.IsNullOrWhiteSpace(region))
        {
            return Results.Json(new { error = "region is required" }, Json, statusCode: 400);
        }

        var hang = mode?.ToLowerInvariant() switch
        {
            null or "refuse" => false,
            "hang" => true,
            _ => (bool?)null,
        };
        if (hang is null)
        {
            return Results.Json(new { error = $"mode '{mode}' is not refuse or hang" }, Json, statusCode: 400);
        }

        try
        {
            if (inject)
            {
                await _host.Outages.InjectAsync(region, hang.Value, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await _host.Outages.RestoreAsync(region, CancellationToken.None).ConfigureAwait(false);
            }

            return Results.Json(new { region, down = _host.Outages.RegionsDown }, Json);
        }
        catch (InvalidOperationException ex)
        {
            return Results.Json(new { error = ex.Message }, Json, statusCode: 409);
        }
    }

    // POST /v1/edge/invalidate?distribution=app-cdn&path=/index.html&path=/images/*
    private IResult EdgeInvalidate(HttpRequest request)
    {
        if (_host.Edge is null)
        {
            return Results.Json(new { error = "this process does not run the edge role" }, Json, statusCode: 409);
        }

        var distribution = request.Query["distribution"].ToString();
        var paths = request.Query["path"].Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!).ToArray();
        if (string.IsNullOrWhiteSpace(distribution) || paths.Length == 0)
        {
            return Results.Json(new { error = "distribution and at least one path are required: /v1/edge/invalidate?distribution=app-cdn&path=/images/*" }, Json, statusCode: 400);
        }

        return Results.Json(_host.Edge.Invalidate(distribution, paths), Json);
    }

    private IResult Resolve(string? name, string? type, string? client)
    {
        if (_host.Dns is null)
        {
            return Results.Json(new { error = "this process does not run the dns role" }, Json, statusCode: 409);
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return Results.Json(new { error = "name is required: /v1/resolve?name=app.mydomain.test&type=A&client=81.2.69.0/24" }, Json, statusCode: 400);
        }

        if (!ClientSubnet.TryParse(client, out var subnet, out var error))
        {
            return Results.Json(new { error }, Json, statusCode: 400);
        }

        try
        {
            return Results.Json(_host.Dns.Explain(name, type ?? "A", subnet), Json);
        }
        catch (ArgumentException ex)
        {
            return Results.Json(new { error = ex.Message }, Json, statusCode: 400);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
