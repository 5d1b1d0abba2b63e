using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Meridian.Topology.Model;
using Meridian.Topology.Validation;
using Meridian.Topology.Yaml;

namespace Meridian.Topology.Loading;

/// <summary>
/// <c>certificates: [{ aliases: [names], certificate: cert.pem, key: key.pem }]</c> of a distribution: PEM files
/// (paths relative to the topology file) that must exist and load as a certificate with its private key; each alias
/// of the distribution has at most one.
/// </summary>
internal static class CertificateReader
{
    private static readonly string[] Keys = ["aliases", "certificate", "key"];

    public static IReadOnlyList<CertificateConfig> Read(MapReader map, IReadOnlyList<string> distributionAliases)
    {
        var ctx = map.Context;
        var items = map.List("certificates");
        var result = new List<CertificateConfig>();
        var covered = new Dictionary<string, (string Path, YNode Node)>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var path = map.Get("certificates") is YSequence ? LoadContext.Index(map.PathOf("certificates"), i) : map.PathOf("certificates");
            if (YamlReader.AsMapping(ctx, items[i], path) is not { } m)
            {
                continue;
            }
            var cm = new MapReader(ctx, m, path, Keys);
            var errors = ctx.Errors.Count;
            var aliases = ReadAliases(cm, distributionAliases, covered);
            var certificate = File(cm, "certificate", "certificate");
            var key = File(cm, "key", "private key");
            if (certificate is not null && key is not null)
            {
                Load(cm, certificate, key);
            }
            if (ctx.Errors.Count == errors && certificate is not null && key is not null)
            {
                result.Add(new CertificateConfig(aliases, certificate, key, ctx.Where(m)));
            }
        }
        return result;
    }

    private static List<string> ReadAliases(MapReader map, IReadOnlyList<string> distributionAliases,
        Dictionary<string, (string Path, YNode Node)> covered)
    {
        var ctx = map.Context;
        var result = new List<string>();
        var items = map.List("aliases");
        if (items.Count == 0)
        {
            ctx.Error(map["aliases"] ?? map.Node, map.PathOf("aliases"), "a certificate needs at least one alias of the distribution");
        }
        for (var i = 0; i < items.Count; i++)
        {
            var path = map.Get("aliases") is YSequence ? LoadContext.Index(map.PathOf("aliases"), i) : map.PathOf("aliases");
            if (YamlReader.AsString(ctx, items[i], path) is not { } raw)
            {
                continue;
            }
            var name = DomainName.Absolute(raw);
            if (!distributionAliases.Contains(name))
            {
                var hint = distributionAliases.Count == 0 ? "; the distribution has no aliases" : Suggestions.Hint(name, distributionAliases);
                ctx.Error(items[i], path, $"'{name}' is not an alias of this distribution{hint}");
            }
            else if (covered.TryGetValue(name, out var first))
            {
                ctx.Error(items[i], path, $"alias '{name}' already has a certificate: {first.Path} (line {first.Node.Line})");
            }
            else
            {
                covered[name] = (path, items[i]);
                result.Add(name);
            }
        }
        return result;
    }

    /// <summary>The full path of an existing file, relative to the topology file's folder.</summary>
    private static string? File(MapReader map, string key, string what)
    {
        if (map.RequiredString(key) is not { } raw)
        {
            return null;
        }
        var node = map.Get(key)!;
        string full;
        try
        {
            full = Path.GetFullPath(raw, map.Context.BaseDirectory);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            map.Context.Error(node, map.PathOf(key), $"invalid path '{raw}'");
            return null;
        }
        if (!System.IO.File.Exists(full))
        {
            map.Context.Error(node, map.PathOf(key), $"{what} file not found: {full}");
            return null;
        }
        return full;
    }

    /// <summary>Loads the pair as the edge will; reports why it fails at <c>certificate</c>, or an expiry as a warning.</summary>
    private static void Load(MapReader map, string certificate, string key)
    {
        try
        {
            using var cert = X509Certificate2.CreateFromPemFile(certificate, key);
            if (!cert.HasPrivateKey)
            {
                map.Context.Error(map.Get("certificate")!, map.PathOf("certificate"), "the key does not belong to this certificate");
            }
            else if (cert.NotAfter < DateTime.Now)
            {
                map.Context.Warning(map.Get("certificate")!, map.PathOf("certificate"),
                    $"the certificate expired on {cert.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC; clients will reject it");
            }
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            map.Context.Error(map.Get("certificate")!, map.PathOf("certificate"),
                $"cannot load the certificate with its key ({Path.GetFileName(certificate)}, {Path.GetFileName(key)}): {ex.Message}");
        }
    }
}
