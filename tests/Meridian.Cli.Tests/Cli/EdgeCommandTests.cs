using System.Net;
using Meridian.Cli.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Meridian.Cli.Tests.Cli;

/// <summary>`meridian edge invalidate` against a stand-in control API (the edge behaviour is tested in Meridian.Edge.Tests).</summary>
public sealed class EdgeCommandTests
{
    [Fact]
    public async Task EdgeInvalidate_Paths_PostsToControlApiAndPrintsResult()
    {
        string? seenQuery = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapPost("/v1/edge/invalidate", (HttpRequest request) =>
        {
            seenQuery = request.QueryString.Value;
            return Results.Json(new { id = "I123", paths = request.Query["path"].ToArray(), invalidated = 3, completedAt = DateTimeOffset.UnixEpoch });
        });
        await app.StartAsync();
        var control = app.Urls.First();

        var result = await CliProcess.RunAsync("edge", "invalidate", "--distribution", "app-cdn", "/index.html", "/images/*", "--control", control);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("?distribution=app-cdn&path=%2Findex.html&path=%2Fimages%2F%2A", seenQuery);
        Assert.Contains("invalidation I123: 3 object(s) removed for /index.html, /images/*", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EdgeInvalidate_NoControlApi_Fails()
    {
        var result = await CliProcess.RunAsync("edge", "invalidate", "--distribution", "app-cdn", "/x", "--control", "http://127.0.0.1:9");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no Meridian control API", result.Stderr, StringComparison.Ordinal);
    }
}
