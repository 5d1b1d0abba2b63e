namespace Meridian.Storage.Store;

/// <summary>An upload in progress (upload.json): the object's future metadata, kept from CreateMultipartUpload.</summary>
internal sealed record MultipartUpload
{
    public required string UploadId { get; init; }
    public required string Key { get; init; }
    public DateTimeOffset Initiated { get; init; }
    /// <summary>Content headers, user metadata and tags for the completed object.</summary>
    public required ObjectVersion Draft { get; init; }
    /// <summary>x-amz-checksum-algorithm of the upload (each part computes it), or null.</summary>
    public string? ChecksumAlgorithm { get; init; }
}
