using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Meridian.Topology.Tests;

/// <summary><c>certificates:</c> of a distribution: PEM pairs generated into a temp folder next to the topology file.</summary>
public sealed class CertificateTests : IDisposable
{
    private const string Prefix = "edge.distributions.cdn.";

    /// <summary>A distribution with two aliases, served by an https location; the certificates block starts on line 12.</summary>
    private const string Head = """
        regions:
          us-east-1: { address: 127.0.0.11 }
        edge:
          locations:
            edge-us: { region: us-east-1, listen: [127.0.0.21:8080], https: [127.0.0.21:8443] }
          distributions:
            cdn:
              aliases: [cdn.example.test, www.example.test]
              origins:
                us: { url: http://127.0.0.11:8080 }
              target: us
              certificates:

        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("meridian-certs-").FullName;

    public CertificateTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "certs"));
        WritePair("certs/cdn", "cdn.example.test", DateTimeOffset.UtcNow.AddDays(30));
        WritePair("certs/www", "www.example.test", DateTimeOffset.UtcNow.AddDays(30));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Writes <c>{name}.pem</c> and <c>{name}.key</c>: a self-signed certificate and its PKCS#8 key.</summary>
    private void WritePair(string name, string subject, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(subject);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(notAfter.AddDays(-60), notAfter);
        File.WriteAllText(Path.Combine(_folder, name + ".pem"), cert.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_folder, name + ".key"), key.ExportPkcs8PrivateKeyPem());
    }

    private TopologyLoadResult Load(params string[] certificateLines) =>
        TopologyLoader.LoadFromText(Head + string.Join("\n", certificateLines.Select(l => "        " + l)) + "\n",
            Path.Combine(_folder, "topology.yaml"));

    private const string Cdn = "- { aliases: [cdn.example.test], certificate: certs/cdn.pem, key: certs/cdn.key }";
    private const string Www = "- { aliases: [WWW.Example.Test.], certificate: certs/www.pem, key: certs/www.key }";

    [Fact]
    public void Load_GeneratedPemPairs_LoadWithFullPathsAndNoWarnings()
    {
        var result = Load(Cdn, Www);
        Yaml.NoErrors(result);
        Assert.Empty(result.Warnings);
        var certificates = result.Config!.Edge.Distributions.Single().Certificates;
        Assert.Equal(2, certificates.Count);
        Assert.Equal(["cdn.example.test"], certificates[0].Aliases);
        Assert.Equal(["www.example.test"], certificates[1].Aliases); // normalised like the distribution's aliases
        Assert.Equal(Path.Combine(_folder, "certs", "cdn.pem"), certificates[0].CertificateFile);
        Assert.Equal(Path.Combine(_folder, "certs", "cdn.key"), certificates[0].KeyFile);
        Assert.Equal((13, 11), (certificates[0].Location.Line, certificates[0].Location.Column));
        // The files are what the edge will load.
        using var cert = X509Certificate2.CreateFromPemFile(certificates[0].CertificateFile, certificates[0].KeyFile);
        Assert.Equal("CN=cdn.example.test", cert.Subject);
    }

    [Fact]
    public void Load_OneCertificateForBothAliases_IsRead()
    {
        var result = Load("- { aliases: [cdn.example.test, www.example.test], certificate: certs/cdn.pem, key: certs/cdn.key }");
        Yaml.NoErrors(result);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Load_CorruptCertificate_ReportsWhyAtCertificate()
    {
        File.WriteAllText(Path.Combine(_folder, "certs", "cdn.pem"), "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        var result = Load(Cdn, Www);
        var error = Yaml.Single(result, Prefix + "certificates[0].certificate");
        Assert.Equal(13, error.Line);
        Assert.Contains("cannot load the certificate with its key (cdn.pem, cdn.key): ", error.Message);
        Assert.Single(result.Errors);
        Assert.Null(result.Config);
    }

    [Fact]
    public void Load_KeyOfAnotherCertificate_IsRejected()
    {
        var result = Load("- { aliases: [cdn.example.test], certificate: certs/cdn.pem, key: certs/www.key }", Www);
        Assert.Contains("cannot load the certificate with its key (cdn.pem, www.key)", Yaml.Single(result, Prefix + "certificates[0].certificate").Message);
    }

    [Fact]
    public void Load_EmptyKeyFile_IsRejected()
    {
        File.WriteAllText(Path.Combine(_folder, "certs", "cdn.key"), "");
        var result = Load(Cdn, Www);
        Assert.Contains("cannot load the certificate", Yaml.Single(result, Prefix + "certificates[0].certificate").Message);
    }

    [Fact]
    public void Load_ExpiredCertificate_Warns()
    {
        WritePair("certs/old", "cdn.example.test", DateTimeOffset.UtcNow.AddDays(-1));
        var result = Load("- { aliases: [cdn.example.test], certificate: certs/old.pem, key: certs/old.key }", Www);
        Yaml.NoErrors(result);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((Prefix + "certificates[0].certificate", 13), (warning.FieldPath, warning.Line));
        Assert.Contains("the certificate expired on", warning.Message);
    }

    [Theory]
    [InlineData("- { aliases: [cdn.example.test], certificate: certs/none.pem, key: certs/cdn.key }", "certificates[0].certificate", "certificate file not found: ")]
    [InlineData("- { aliases: [cdn.example.test], certificate: certs/cdn.pem, key: certs/none.key }", "certificates[0].key", "private key file not found: ")]
    [InlineData("- { aliases: [cdn.example.test], key: certs/cdn.key }", "certificates[0].certificate", "'certificate' is required")]
    [InlineData("- { aliases: [cdn.example.test], certificate: certs/cdn.pem }", "certificates[0].key", "'key' is required")]
    [InlineData("- { aliases: [cdn.exampel.test], certificate: certs/cdn.pem, key: certs/cdn.key }", "certificates[0].aliases[0]", "'cdn.exampel.test' is not an alias of this distribution; did you mean 'cdn.example.test'?")]
    [InlineData("- { aliases: [], certificate: certs/cdn.pem, key: certs/cdn.key }", "certificates[0].aliases", "a certificate needs at least one alias of the distribution")]
    [InlineData("- { aliases: [cdn.example.test, cdn.example.test], certificate: certs/cdn.pem, key: certs/cdn.key }", "certificates[0].aliases[1]", "alias 'cdn.example.test' already has a certificate: edge.distributions.cdn.certificates[0].aliases[0] (line 13)")]
    [InlineData("- { aliases: [cdn.example.test], certificate: certs/cdn.pem, key: certs/cdn.key, chain: x.pem }", "certificates[0].chain", "unknown key 'chain'")]
    [InlineData("- certs/cdn.pem", "certificates[0]", "expected a mapping")]
    public void Load_InvalidCertificate_ReportsFieldPathAndLine(string line, string field, string message)
    {
        var result = Load(line, Www);
        var error = Yaml.Has(result, Prefix + field, message);
        Assert.Equal(13, error.Line);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void Load_AliasInTwoCertificates_ReportsTheSecondNamingTheFirst()
    {
        var result = Load(Cdn, "- { aliases: [www.example.test, cdn.example.test], certificate: certs/www.pem, key: certs/www.key }");
        var error = Yaml.Single(result, Prefix + "certificates[1].aliases[1]");
        Assert.Equal(14, error.Line);
        Assert.Equal("alias 'cdn.example.test' already has a certificate: edge.distributions.cdn.certificates[0].aliases[0] (line 13)", error.Message);
    }

    [Fact]
    public void Load_HttpsLocationWithAnAliasWithoutCertificate_Warns()
    {
        var result = Load(Cdn);
        Yaml.NoErrors(result);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((Prefix + "certificates", 13), (warning.FieldPath, warning.Line));
        Assert.Equal("no certificate for www.example.test, served over https by edge-us (line 5)", warning.Message);
    }

    [Fact]
    public void Load_AliasWithoutCertificateButNoHttpsListener_DoesNotWarn()
    {
        var yaml = Head.Replace(", https: [127.0.0.21:8443]", "") + "        " + Cdn + "\n";
        var result = TopologyLoader.LoadFromText(yaml, Path.Combine(_folder, "topology.yaml"));
        Yaml.NoErrors(result);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Load_NoCertificates_DoesNotWarn()
    {
        // The edge generates a self-signed certificate when none are configured (the demo).
        var yaml = Head.Replace("      certificates:\n", "");
        var result = TopologyLoader.LoadFromText(yaml, Path.Combine(_folder, "topology.yaml"));
        Yaml.NoErrors(result);
        Assert.Empty(result.Warnings);
        Assert.Empty(result.Config!.Edge.Distributions.Single().Certificates);
    }

    [Fact]
    public void Load_RelativePaths_ResolveAgainstTheTopologyFileNotTheWorkingDirectory()
    {
        var nested = Path.Combine(_folder, "conf");
        Directory.CreateDirectory(nested);
        var yaml = Head + "        - { aliases: [cdn.example.test, www.example.test], certificate: ../certs/cdn.pem, key: ../certs/cdn.key }\n";
        var result = TopologyLoader.LoadFromText(yaml, Path.Combine(nested, "topology.yaml"));
        Yaml.NoErrors(result);
        Assert.Equal(Path.Combine(_folder, "certs", "cdn.pem"), result.Config!.Edge.Distributions.Single().Certificates[0].CertificateFile);
    }
}
