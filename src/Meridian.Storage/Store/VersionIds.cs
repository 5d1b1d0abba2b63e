using System.Security.Cryptography;

namespace Meridian.Storage.Store;

/// <summary>
/// Version ids: the store sequence in hex (so ids sort like versions) plus random bits (so ids from two stores never
/// collide). Clients' version ids are only ever looked up in the index, never turned into a path.
/// </summary>
internal static class VersionIds
{
    public const string Null = "null";

    public static string New(long sequence) =>
        sequence.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static bool IsWellFormed(string id) => id == Null || (id.Length == 32 && id.All(char.IsAsciiHexDigitLower));

    /// <summary>Only ever called with ids this store generated (validated by <see cref="IsWellFormed"/> when loaded).</summary>
    public static string MetadataFileName(string versionId) => versionId == Null ? "null.json" : $"v-{versionId}.json";
}
