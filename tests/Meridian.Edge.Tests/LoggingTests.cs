using System.Net;
using Microsoft.Extensions.Logging;

namespace Meridian.Edge.Tests;

public sealed class LoggingTests
{
    [Fact]
    public async Task Get_Failover_LogsStructuredEventsWithoutPerRequestFrameworkNoise()
    {
        var recorder = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(recorder).SetMinimumLevel(LogLevel.Trace));
        await using var primary = await TestOrigin.StartAsync("primary", 503);
        await using var secondary = await TestOrigin.StartAsync("secondary");
        var config = EdgeHarness.Config([EdgeHarness.Origin("primary", primary.Url), EdgeHarness.Origin("secondary", secondary.Url)]);
        await using (var server = new EdgeServer(config, TimeProvider.System, loggers))
        {
            await server.StartAsync(CancellationToken.None);
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{server.Endpoints[EdgeHarness.Location][0]}/");
            request.Headers.Host = EdgeHarness.Alias;
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var entries = recorder.Entries.ToList();
        var failover = Assert.Single(entries, e => e.EventId.Name == "Failover");
        Assert.Equal(LogLevel.Warning, failover.Level);
        Assert.Contains("from primary to secondary: HTTP 503", failover.Message, StringComparison.Ordinal);
        Assert.Single(entries, e => e.EventId.Name == "OriginUnhealthy");
        Assert.DoesNotContain(entries, e => e.Level < LogLevel.Warning
            && (e.Category.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal) || e.Category.StartsWith("Yarp.", StringComparison.Ordinal)));
    }
}
