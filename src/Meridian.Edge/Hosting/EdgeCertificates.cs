using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Meridian.Topology.Model;

namespace Meridian.Edge;

/// <summary>
/// Server certificates of the HTTPS listeners, chosen by SNI: each distribution's configured PEM certificates for
/// their aliases; a distribution with none gets a self-signed certificate for all its aliases, generated in memory
/// (ECDSA P-256, one year) — what the demo uses. Certificates are cached by content (file paths + aliases), so a
/// reload keeps unchanged ones (and a self-signed certificate stays the same while the aliases do).
/// </summary>
internal sealed class EdgeCertificates : IDisposable
{
    private readonly ConcurrentDictionary<string, X509Certificate2> _cache = new(StringComparer.Ordinal);
    private volatile Snapshot _current = new(new Dictionary<string, X509Certificate2>(StringComparer.OrdinalIgnoreCase), null);

    /// <summary>Rebuilds the alias → certificate map for a configuration (throws when a PEM pair cannot be loaded).</summary>
    public void Apply(EdgeConfig config)
    {
        var byAlias = new Dictionary<string, X509Certificate2>(StringComparer.OrdinalIgnoreCase);
        X509Certificate2? fallback = null;
        foreach (var distribution in config.Distributions)
        {
            if (distribution.Aliases.Count == 0)
            {
                continue;
            }

            if (distribution.Certificates.Count == 0)
            {
                var aliases = distribution.Aliases.Select(a => a.TrimEnd('.')).ToArray();
                var cert = _cache.GetOrAdd("self|" + string.Join(",", aliases), _ => SelfSigned(aliases));
                foreach (var alias in aliases)
                {
                    byAlias.TryAdd(alias, cert);
                }

                fallback ??= cert;
                continue;
            }

            foreach (var configured in distribution.Certificates)
            {
                var cert = _cache.GetOrAdd($"pem|{configured.CertificateFile}|{configured.KeyFile}",
                    _ => Exportable(X509Certificate2.CreateFromPemFile(configured.CertificateFile, configured.KeyFile)));
                foreach (var alias in configured.Aliases)
                {
                    byAlias.TryAdd(alias.TrimEnd('.'), cert);
                }

                fallback ??= cert;
            }
        }

        _current = new Snapshot(byAlias, fallback);
    }

    /// <summary>The certificate for an SNI name (exact alias, then a wildcard alias "*.example.com"), else the first one.</summary>
    public X509Certificate2? Select(string? serverName)
    {
        var snapshot = _current;
        if (!string.IsNullOrEmpty(serverName))
        {
            var name = serverName.TrimEnd('.');
            if (snapshot.ByAlias.TryGetValue(name, out var cert))
            {
                return cert;
            }

            var dot = name.IndexOf('.');
            if (dot > 0 && snapshot.ByAlias.TryGetValue("*" + name[dot..], out cert))
            {
                return cert;
            }
        }

        return snapshot.Fallback;
    }

    public static X509Certificate2 SelfSigned(IReadOnlyList<string> aliases)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={aliases[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var alias in aliases)
        {
            san.AddDnsName(alias);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        return Exportable(cert);
    }

    // A PKCS#12 round trip gives a certificate whose key SslStream can use on every platform (ephemeral keys are not
    // usable by SChannel on Windows).
    private static X509Certificate2 Exportable(X509Certificate2 cert)
    {
        using (cert)
        {
            return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
        }
    }

    public void Dispose()
    {
        foreach (var cert in _cache.Values)
        {
            cert.Dispose();
        }
    }

    private sealed record Snapshot(Dictionary<string, X509Certificate2> ByAlias, X509Certificate2? Fallback);
}
