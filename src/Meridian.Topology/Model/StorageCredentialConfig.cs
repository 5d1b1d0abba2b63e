namespace Meridian.Topology.Model;

/// <summary>An access key pair for Signature V4 (AWS: an IAM user's access key id and secret access key).</summary>
public sealed record StorageCredentialConfig(string AccessKey, string SecretKey)
{
    /// <summary>Never prints the secret (records print every member by default).</summary>
    public override string ToString() => $"{AccessKey} (secret hidden)";
}
