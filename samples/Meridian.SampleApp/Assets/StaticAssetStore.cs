using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Meridian.SampleApp.Assets;

/// <summary>
/// The /static/ files: embedded text assets plus big.bin generated in memory (no binary in git). Content and
/// ETags are deterministic, so every instance in every region serves byte-identical assets, as replicated
/// S3 content would be.
/// </summary>
internal sealed class StaticAssetStore
{
    public const string BigBinName = "big.bin";
    public const int BigBinLength = 100 * 1024;

    private const string ResourcePrefix = "static/";

    private readonly FrozenDictionary<string, StaticAsset> _assets;

    private StaticAssetStore(IEnumerable<StaticAsset> assets)
    {
        _assets = assets.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
    }

    public static StaticAssetStore Instance { get; } = Load();

    public IEnumerable<string> Names => _assets.Keys;

    public bool TryGet(string name, out StaticAsset asset) => _assets.TryGetValue(name, out asset!);

    /// <summary>Pseudo-random, hence incompressible, so cache benchmarks measure bytes not compression.</summary>
    public static byte[] GenerateBigBin()
    {
        var bytes = new byte[BigBinLength];
        var state = 0x9E3779B97F4A7C15UL; // fixed seed: identical on every instance
        for (var i = 0; i < bytes.Length; i += 8)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            BitConverter.TryWriteBytes(bytes.AsSpan(i), state);
        }

        return bytes;
    }

    private static StaticAssetStore Load()
    {
        var assets = new List<StaticAsset> { Create(BigBinName, GenerateBigBin()) };
        var assembly = typeof(StaticAssetStore).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            assets.Add(Create(resource[ResourcePrefix.Length..], buffer.ToArray()));
        }

        return new StaticAssetStore(assets);
    }

    private static StaticAsset Create(string name, byte[] content)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16));
        return new StaticAsset(name, ContentTypeOf(name), content, new EntityTagHeaderValue($"\"{hash}\""));
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".js" => "text/javascript; charset=utf-8",
        ".html" => "text/html; charset=utf-8",
        ".txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
}
