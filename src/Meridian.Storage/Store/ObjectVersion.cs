namespace Meridian.Storage.Store;

/// <summary>
/// One version of a key (an object or a delete marker), persisted as a small JSON file beside its data. The JSON
/// file is the commit point: data without it is garbage swept at start.
/// </summary>
internal sealed record ObjectVersion
{
    public required string Key { get; init; }
    /// <summary>"null" for the null version (unversioned or suspended buckets), as S3 reports it.</summary>
    public required string VersionId { get; init; }
    /// <summary>Strictly increasing per store: orders versions of a key (newest wins) and survives restarts.</summary>
    public required long Sequence { get; init; }
    public bool IsDeleteMarker { get; init; }
    /// <summary>File name of the data inside the key's directory; null for delete markers.</summary>
    public string? DataFile { get; init; }
    public long Size { get; init; }
    /// <summary>Unquoted: MD5 hex, or md5-of-part-md5s "-N" for multipart.</summary>
    public string ETag { get; init; } = "";
    public string ContentType { get; init; } = "binary/octet-stream";
    public string? ContentEncoding { get; init; }
    public string? ContentDisposition { get; init; }
    public string? ContentLanguage { get; init; }
    public string? CacheControl { get; init; }
    public string? Expires { get; init; }
    public DateTimeOffset LastModified { get; init; }
    /// <summary>x-amz-meta-* without the prefix, names lowercased as S3 returns them.</summary>
    public Dictionary<string, string> UserMetadata { get; init; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
    /// <summary>Algorithm name (CRC32, ...) to base64 value, for single-part uploads that sent one.</summary>
    public Dictionary<string, string> Checksums { get; init; } = new(StringComparer.Ordinal);
    public int PartCount { get; init; }
    /// <summary>x-amz-replication-status: PENDING, COMPLETED, FAILED or REPLICA; null when no rule applies.</summary>
    public string? ReplicationStatus { get; init; }
}
