using System.Net;
using System.Net.Http.Json;
using System.Text;
using Meridian.SampleApp.Data;
using Meridian.SampleApp.Tests.Support;
using Meridian.Testing;

namespace Meridian.SampleApp.Tests.Data;

/// <summary>/api/items, /api/drill and /health against a real PostgreSQL primary and streaming standby.</summary>
public sealed class DataEndpointTests(PostgresPair pg) : IClassFixture<PostgresPair>
{
    [Fact]
    public async Task PostItem_JsonBody_InsertsThroughWriterAndReturnsIdAndWhoWrote()
    {
        await using var app = await RunningSampleApp.StartAsync(o => o with { Database = Db.Options(pg.Primary) });

        using var response = await app.Client.PostAsync("api/items", new StringContent("{\"hello\":\"world\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Json.ReadAsync(response);
        var id = body.GetProperty("id").GetInt64();
        Assert.True(id > 0);
        Assert.Equal("us-east-1", body.GetProperty("region").GetString());
        Assert.Equal("us-1", body.GetProperty("instance").GetString());
        Assert.Equal(Db.Text(pg.Primary.Address, pg.Primary.Port), body.GetProperty("writer").GetString());
        Assert.Equal($"/api/items/{id}", response.Headers.Location?.OriginalString);

        using var read = await app.Client.GetAsync($"api/items/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var item = await Json.ReadAsync(read);
        Assert.Equal("{\"hello\":\"world\"}", item.GetProperty("body").GetString());
        Assert.StartsWith("application/json", item.GetProperty("contentType").GetString());
        Assert.Equal("us-1", item.GetProperty("writtenBy").GetProperty("instance").GetString());
    }

    [Fact]
    public async Task GetItem_ReaderIsStandby_ReadsFromStandbyOnceReplicated()
    {
        await using var app = await RunningSampleApp.StartAsync(o => o with { Database = Db.Options(pg.Primary, pg.Standby) });
        using var posted = await app.Client.PostAsync("api/items", new StringContent("replicated text"));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var id = (await Json.ReadAsync(posted)).GetProperty("id").GetInt64();

        string? reader = null;
        var found = await Polling.UntilTrueAsync(async () =>
        {
            using var read = await app.Client.GetAsync($"api/items/{id}");
            if (read.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.NotFound, read.StatusCode); // not replicated yet: 404, never an error
                return false;
            }

            var item = await Json.ReadAsync(read);
            reader = item.GetProperty("reader").GetString();
            return item.GetProperty("body").GetString() == "replicated text";
        }, TimeSpan.FromSeconds(20));

        Assert.True(found, "the standby never returned the item");
        Assert.Equal(Db.Text(pg.Standby.Address, pg.Standby.Port), reader);
    }

    [Fact]
    public async Task GetItem_NotOnReader_Returns404NamingReplicationLag()
    {
        await using var app = await RunningSampleApp.StartAsync(o => o with { Database = Db.Options(pg.Primary) });
        await app.Client.PostAsync("api/items", new StringContent("make sure the table exists"));

        using var response = await app.Client.GetAsync("api/items/999999999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("replication lag", (await Json.ReadAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task PostDrillRow_ThenListRun_ReturnsCommittedNumbersOnceEach()
    {
        await using var app = await RunningSampleApp.StartAsync(o => o with { Database = Db.Options(pg.Primary) });
        var run = "run-" + Guid.NewGuid().ToString("N")[..8];

        foreach (var n in new[] { 0, 1, 2, 1, 5 })
        {
            using var written = await app.Client.PostAsync($"api/drill/{run}/{n}", null);
            Assert.Equal(HttpStatusCode.Created, written.StatusCode);
        }

        using var listed = await app.Client.GetAsync($"api/drill/{run}");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var body = await Json.ReadAsync(listed);
        Assert.Equal([0, 1, 2, 5], body.GetProperty("rows").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        Assert.Equal(4, body.GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData("api/drill/bad%20name/1")]
    [InlineData("api/drill/run/-1")]
    [InlineData("api/drill/run/x")]
    public async Task PostDrillRow_BadRunOrNumber_Returns400(string path)
    {
        await using var app = await RunningSampleApp.StartAsync(o => o with { Database = Db.Options(pg.Primary) });

        using var response = await app.Client.PostAsync(path, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("", "text/plain", "empty body")]
    [InlineData("{not json", "application/json", "not valid JSON")]
    public async Task PostItem_BadBody_Returns400WithReason(string body, string contentType, string reason)
    {
        await using var app = await RunningSampleApp.StartAsync(o => o with { Database = Db.Options(pg.Primary) });

        using var response = await app.Client.PostAsync("api/items", new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, (await Json.ReadAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task PostItem_WriterIsStandby_Returns503ReadOnly()
    {
        await using var app = await RunningSampleApp.StartAsync(o => o with { Database = Db.Options(pg.Standby) });

        using var response = await app.Client.PostAsync("api/items", new StringContent("x"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("read-only", (await Json.ReadAsync(response)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Health_WriterIsWritablePrimary_Returns200WithPostgresCheck()
    {
        await using var app = await RunningSampleApp.StartAsync(o => o with { Database = Db.Options(pg.Primary) });

        using var response = await app.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var check = (await Json.ReadAsync(response)).GetProperty("checks").EnumerateArray().Single();
        Assert.Equal($"postgres:{Db.Text(pg.Primary.Address, pg.Primary.Port)}", check.GetProperty("name").GetString());
        Assert.Contains("writable primary", check.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Health_WriterIsStandby_Returns503SayingNotWritable()
    {
        await using var app = await RunningSampleApp.StartAsync(o => o with { Database = Db.Options(pg.Standby) });

        using var response = await app.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var failed = (await Json.ReadAsync(response)).GetProperty("failed")[0].GetString();
        Assert.Contains("standby", failed);
    }

    [Fact]
    public async Task Endpoints_DatabaseDown_Return503WithReasonAndHealthFails()
    {
        var closed = Ports.Closed();
        await using var app = await RunningSampleApp.StartAsync(o => o with
        {
            Database = new DatabaseOptions { Writer = new DatabaseEndpoint("127.0.0.1", closed), User = "postgres", Database = "postgres" },
        });

        using var post = await app.Client.PostAsync("api/items", new StringContent("x"));
        using var drill = await app.Client.PostAsync("api/drill/r/1", null);
        using var list = await app.Client.GetAsync("api/drill/r");
        using var health = await app.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        Assert.Contains("cannot connect", (await Json.ReadAsync(post)).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, drill.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, list.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }

    [Fact]
    public async Task PostItem_NoDatabaseConfigured_Returns503()
    {
        await using var app = await RunningSampleApp.StartAsync();

        using var response = await app.Client.PostAsJsonAsync("api/items", new { a = 1 });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("--db-writer", (await Json.ReadAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task PostItem_InvalidUtf8OrOversizedBody_Returns4xxNotACrash()
    {
        await using var app = await RunningSampleApp.StartAsync(o => o with { Database = Db.Options(pg.Primary) });

        using var invalid = await app.Client.PostAsync("api/items", new ByteArrayContent([0xC3, 0x28, 0xFF]));
        using var oversized = await app.Client.PostAsync("api/items", new StringContent(new string('x', 70 * 1024)));
        using var nul = await app.Client.PostAsync("api/items", new StringContent("a\0b"));
        using var health = await app.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("api/items/abc")]
    [InlineData("api/items/-1")]
    [InlineData("api/items/99999999999999999999999")]
    public async Task GetItem_BadId_Returns400(string path)
    {
        await using var app = await RunningSampleApp.StartAsync(o => o with { Database = Db.Options(pg.Primary) });

        using var response = await app.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
