using System.Diagnostics;
using System.Net;
using Meridian.SampleApp.Data;
using Meridian.SampleApp.Tests.Support;
using Meridian.Testing;
using Xunit.Abstractions;

namespace Meridian.SampleApp.Tests.Data;

/// <summary>
/// The app reaching PostgreSQL by name through Meridian's real DNS server and postgres health checks: db-writer
/// answers only the writable primary, so after a promotion the next connection goes to the new primary.
/// </summary>
public sealed class DatabaseNameTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PostDrillRow_WriterByName_FollowsPromotionToNewPrimary()
    {
        await using var primary = await PostgresTestServer.StartPrimaryAsync(IPAddress.Parse("127.0.8.11"));
        await using var standby = await PostgresTestServer.StartStandbyAsync(primary, IPAddress.Parse("127.0.8.12"));
        await using var dns = GslbTestServer.Start(DatabaseDnsTopology.Yaml([primary, standby]));
        await using var app = await RunningSampleApp.StartAsync(o => o with
        {
            Database = new DatabaseOptions
            {
                Writer = new DatabaseEndpoint(DatabaseDnsTopology.Writer, 5432), // the SRV record gives the real port
                Reader = new DatabaseEndpoint(DatabaseDnsTopology.Reader, 5432),
                User = "postgres",
                Database = "postgres",
                Dns = dns.Endpoint,
            },
        });
        var run = "promo-" + Guid.NewGuid().ToString("N")[..8];
        var primaryText = Db.Text(primary.Address, primary.Port);
        var standbyText = Db.Text(standby.Address, standby.Port);

        // Until the first checks ran, unknown counts as healthy and db-writer may answer both; wait for the primary only.
        string? writer = null;
        Assert.True(await Polling.UntilTrueAsync(async () =>
        {
            using var response = await app.Client.PostAsync($"api/drill/{run}/0", null);
            writer = response.StatusCode == HttpStatusCode.Created ? (await Json.ReadAsync(response)).GetProperty("writer").GetString() : null;
            using var health = await app.Client.GetAsync("health");
            return writer == primaryText && health.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(20)), $"never wrote through db-writer to the primary (last writer {writer})");

        await primary.StopAsync();
        var failedOver = Stopwatch.StartNew();
        await standby.PromoteAsync();
        var n = 1;
        Assert.True(await Polling.UntilTrueAsync(async () =>
        {
            using var response = await app.Client.PostAsync($"api/drill/{run}/{n}", null);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode); // a clear 503 while there is no writer
                return false;
            }

            writer = (await Json.ReadAsync(response)).GetProperty("writer").GetString();
            n++;
            return writer == standbyText;
        }, TimeSpan.FromSeconds(30)), $"db-writer never moved to the promoted standby (last writer {writer})");

        output.WriteLine($"primary stopped + standby promoted → first write on the new primary through db-writer after {failedOver.Elapsed.TotalSeconds:0.00} s");
        using var list = await app.Client.GetAsync($"api/drill/{run}");
        var rows = (await Json.ReadAsync(list)).GetProperty("rows").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Contains(0, rows); // written on the old primary, replicated before it stopped
        Assert.Contains(n - 1, rows);
        using var healthAfter = await app.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, healthAfter.StatusCode);
        Assert.True(failedOver.Elapsed < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task PostItem_NameWithNoHealthyWriter_Returns503NamingDns()
    {
        await using var primary = await PostgresTestServer.StartPrimaryAsync(IPAddress.Parse("127.0.8.13"));
        await using var dns = GslbTestServer.Start(DatabaseDnsTopology.Yaml([primary]));
        await using var app = await RunningSampleApp.StartAsync(o => o with
        {
            Database = new DatabaseOptions
            {
                Writer = new DatabaseEndpoint(DatabaseDnsTopology.Writer, 5432),
                User = "postgres",
                Database = "postgres",
                Dns = dns.Endpoint,
            },
        });
        await primary.StopAsync();

        string? reason = null;
        Assert.True(await Polling.UntilTrueAsync(async () =>
        {
            using var response = await app.Client.PostAsync("api/items", new StringContent("x"));
            reason = response.StatusCode == HttpStatusCode.ServiceUnavailable ? (await Json.ReadAsync(response)).GetProperty("reason").GetString() : null;
            return reason?.Contains("DNS gave no address", StringComparison.Ordinal) == true;
        }, TimeSpan.FromSeconds(20)), $"expected a 503 saying db-writer has no address (last reason: {reason})");
    }
}
