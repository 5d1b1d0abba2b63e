namespace Meridian.Storage.Store;

/// <summary>One uploaded part (part-NNNNN.json beside its data file).</summary>
internal sealed record UploadedPart
{
    public required int PartNumber { get; init; }
    public required string ETag { get; init; }
    public required long Size { get; init; }
    public required string DataFile { get; init; }
    public DateTimeOffset LastModified { get; init; }
    public Dictionary<string, string> Checksums { get; init; } = new(StringComparer.Ordinal);
}
