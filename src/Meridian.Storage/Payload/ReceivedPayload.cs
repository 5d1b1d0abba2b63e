namespace Meridian.Storage.Payload;

/// <summary>A request body verified and fsynced into a temp file, with the digests computed on the way.</summary>
internal sealed record ReceivedPayload(string TempPath, long Size, byte[] Md5, IReadOnlyDictionary<string, string> Checksums)
{
    public string Md5Hex => Convert.ToHexStringLower(Md5);
}
