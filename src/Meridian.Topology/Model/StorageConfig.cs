namespace Meridian.Topology.Model;

/// <summary>
/// The embedded S3-compatible object stores (one per region) and the access keys they accept. Every store accepts
/// every credential: the topology is one trust domain, like one AWS account.
/// </summary>
public sealed record StorageConfig(IReadOnlyList<StorageCredentialConfig> Credentials, IReadOnlyList<ObjectStoreConfig> Stores)
{
    public static readonly StorageConfig Empty = new([], []);

    public ObjectStoreConfig? FindStore(string name) => Stores.FirstOrDefault(s => s.Name == name);
}
