namespace Meridian.SampleApp.Assets;

/// <summary>
/// The /static/ files as a host can publish them elsewhere (the demo seeds them into each region's bucket, which the
/// edge serves /static/* from): name, content type, bytes, and the Cache-Control the app itself sends for them.
/// </summary>
public static class StaticAssetCatalog
{
    public const string CacheControl = "public, max-age=31536000, immutable";

    public static IEnumerable<(string Name, string ContentType, ReadOnlyMemory<byte> Content)> Files =>
        StaticAssetStore.Instance.Names.Order(StringComparer.Ordinal)
            .Select(name => StaticAssetStore.Instance.TryGet(name, out var asset)
                ? (asset.Name, asset.ContentType, asset.Content)
                : throw new InvalidOperationException(name));
}
