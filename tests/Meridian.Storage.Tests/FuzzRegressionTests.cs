using System.Net;
using System.Net.Sockets;
using System.Text;
using Meridian.Storage.Tests.Support;
using Meridian.Topology.Model;

namespace Meridian.Storage.Tests;

/// <summary>Inputs the fuzz tests once broke the server with, kept verbatim.</summary>
public sealed class FuzzRegressionTests
{
    /// <summary>
    /// A target with %02 made the error document's Resource hold a control character; XElement refused to write
    /// it and the request ended in a 500 instead of InvalidURI (found by RequestParser_RandomTargets, seed 7).
    /// </summary>
    [Theory]
    [InlineData("/-]%A0*+F(%21c%3F5%.%02@*.%DB%91C5>_6#-9\"Ay!,x~_%22%31D?z!%A0%30%20\"-a#E\"25-%F1\\$.=", 400)]
    [InlineData("/parse/%01%02key", 404)]
    public async Task ControlCharactersInTarget_S3ErrorNotServerError(string target, int expected)
    {
        await using var store = await TestStore.StartAsync([new BucketConfig { Name = "parse", PublicRead = true }]);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(store.Server.Endpoint);
        await socket.SendAsync(Encoding.UTF8.GetBytes($"POST {target} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".Replace("POST /parse", "GET /parse", StringComparison.Ordinal)));
        var response = new StringBuilder();
        var buffer = new byte[8192];
        int n;
        while ((n = await socket.ReceiveAsync(buffer)) > 0)
        {
            response.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        Assert.StartsWith($"HTTP/1.1 {expected}", response.ToString());
    }

    [Fact]
    public async Task KeyWithControlCharacters_ListedUrlEncoded()
    {
        await using var store = await TestStore.StartAsync([new BucketConfig { Name = "ctl" }]);
        using var raw = new RawClient(store);
        Assert.Equal(HttpStatusCode.OK, (await raw.PutPlainAsync("/ctl/a%01b", [1])).Status);
        var listing = await raw.GetAsync("/ctl?encoding-type=url&list-type=2");
        Assert.Equal(HttpStatusCode.OK, listing.Status);
        Assert.Contains("<Key>a%01b</Key>", listing.Body);
    }
}
