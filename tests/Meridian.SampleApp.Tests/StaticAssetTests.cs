using System.Net;
using System.Net.Http.Headers;
using Meridian.SampleApp.Tests.Support;

namespace Meridian.SampleApp.Tests;

public sealed class StaticAssetTests
{
    [Theory]
    [InlineData("static/app.css", "text/css")]
    [InlineData("static/logo.svg", "image/svg+xml")]
    [InlineData("static/big.bin", "application/octet-stream")]
    public async Task GetStatic_KnownAsset_ImmutableWithValidators(string path, string contentType)
    {
        await using var app = await RunningSampleApp.StartAsync();

        using var response = await app.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", string.Join(", ", response.Headers.GetValues("Cache-Control")));
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag.IsWeak);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), response.Content.Headers.LastModified);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetBigBin_TwoInstances_SameHundredKiBAndSameETag()
    {
        await using var one = await RunningSampleApp.StartAsync();
        await using var two = await RunningSampleApp.StartAsync(o => o with { Region = "eu-west-1", InstanceId = "eu-1" });

        using var a = await one.Client.GetAsync("static/big.bin");
        using var b = await two.Client.GetAsync("static/big.bin");
        var bytesA = await a.Content.ReadAsByteArrayAsync();
        var bytesB = await b.Content.ReadAsByteArrayAsync();

        Assert.Equal(100 * 1024, bytesA.Length);
        Assert.Equal(bytesA, bytesB);
        Assert.Equal(a.Headers.ETag, b.Headers.ETag);
        Assert.True(bytesA.Distinct().Count() > 200, "content should look random (incompressible)");
    }

    [Fact]
    public async Task GetStatic_IfNoneMatchCurrentETag_Returns304WithHeaders()
    {
        await using var app = await RunningSampleApp.StartAsync();
        using var first = await app.Client.GetAsync("static/app.css");

        using var request = new HttpRequestMessage(HttpMethod.Get, "static/app.css");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal("us-1", Assert.Single(second.Headers.GetValues("X-Instance")));
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task GetStatic_IfNoneMatchOtherETag_Returns200()
    {
        await using var app = await RunningSampleApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "static/app.css");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"stale\""));

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GetStatic_IfModifiedSinceLastModified_Returns304()
    {
        await using var app = await RunningSampleApp.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "static/logo.svg");
        request.Headers.IfModifiedSince = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task HeadStatic_BigBin_ReturnsLengthWithoutBody()
    {
        await using var app = await RunningSampleApp.StartAsync();

        using var response = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "static/big.bin"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(100 * 1024, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task GetStatic_UnknownAsset_Returns404()
    {
        await using var app = await RunningSampleApp.StartAsync();

        using var response = await app.Client.GetAsync("static/missing.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
