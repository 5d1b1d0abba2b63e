using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Edge.Tests.Caching.Integration;

public sealed class HttpsListenerTests
{
    private static EdgeConfig WithHttps(EdgeConfig config, Func<DistributionConfig, DistributionConfig>? distribution = null)
    {
        var location = config.Locations[0] with { HttpsListen = [new IPEndPoint(IPAddress.Loopback, 0)] };
        var d = config.Distributions[0];
        return config with { Locations = [location], Distributions = [distribution is null ? d : distribution(d)] };
    }

    private static async Task<(X509Certificate2 Certificate, SslProtocols Protocol)> HandshakeAsync(IPEndPoint endpoint, string sni)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint);
        X509Certificate2? seen = null;
        await using var ssl = new SslStream(tcp.GetStream());
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = sni,
            RemoteCertificateValidationCallback = (_, cert, _, _) =>
            {
                seen = new X509Certificate2(cert!);
                return true;
            },
        });
        return (seen!, ssl.SslProtocol);
    }

    [Fact]
    public async Task HttpsListen_NoCertificates_SelfSignedForAliasesAndHttpsOnlyServed()
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=60", "secure"));
        var config = WithHttps(CacheOrigin.Config([origin],
            [CacheOrigin.Behavior("*", b => b with { ViewerProtocol = ViewerProtocolPolicy.HttpsOnly })]));
        await using var server = new EdgeServer(config, TimeProvider.System, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        var endpoint = server.HttpsEndpoints[EdgeHarness.Location][0];

        var (certificate, protocol) = await HandshakeAsync(endpoint, EdgeHarness.Alias);
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(endpoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        using var client = new HttpClient(handler);
        using var response = await client.GetAsync(new Uri($"https://{EdgeHarness.Alias}:{endpoint.Port}/page"));

        Assert.Contains(EdgeHarness.Alias, certificate.GetNameInfo(X509NameType.DnsName, false), StringComparison.OrdinalIgnoreCase);
        Assert.True(certificate.NotAfter > DateTime.Now);
        Assert.True(protocol >= SslProtocols.Tls12);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("secure", await response.Content.ReadAsStringAsync());
        Assert.Equal("https", Assert.Single(origin.Requests).Headers["X-Forwarded-Proto"]);
    }

    [Fact]
    public async Task HttpsListen_ConfiguredCertificate_SelectedBySni()
    {
        var directory = Directory.CreateTempSubdirectory("meridian-edge-cert");
        try
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest($"CN={EdgeHarness.Alias}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var configured = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            var certFile = Path.Combine(directory.FullName, "cert.pem");
            var keyFile = Path.Combine(directory.FullName, "key.pem");
            await File.WriteAllTextAsync(certFile, configured.ExportCertificatePem());
            await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
            await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=60"));
            var config = WithHttps(CacheOrigin.Config([origin]), d => d with
            {
                Certificates = [new CertificateConfig([EdgeHarness.Alias], certFile, keyFile, SourceLocation.None)],
            });
            await using var server = new EdgeServer(config, TimeProvider.System, NullLoggerFactory.Instance);
            await server.StartAsync(CancellationToken.None);

            var (served, _) = await HandshakeAsync(server.HttpsEndpoints[EdgeHarness.Location][0], EdgeHarness.Alias);

            Assert.Equal(configured.Thumbprint, served.Thumbprint);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Get_RedirectToHttpsWithHttpsListener_LocationHasHttpsPort()
    {
        await using var origin = await CacheOrigin.StartAsync(CacheOrigin.Text("max-age=60"));
        var config = WithHttps(CacheOrigin.Config([origin],
            [CacheOrigin.Behavior("*", b => b with { ViewerProtocol = ViewerProtocolPolicy.RedirectToHttps })]));
        await using var server = new EdgeServer(config, TimeProvider.System, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        var port = server.HttpsEndpoints[EdgeHarness.Location][0].Port;
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://{server.Endpoints[EdgeHarness.Location][0]}/a?b=c");
        request.Headers.Host = EdgeHarness.Alias;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal($"https://{EdgeHarness.Alias}:{port}/a?b=c", response.Headers.Location?.ToString());
        Assert.Empty(origin.Requests);
    }
}
