namespace Meridian.Storage.Events;

/// <summary>One committed change in a store. <see cref="Sequence"/> orders changes of the store (strictly increasing).</summary>
public sealed record ObjectEvent(
    ObjectEventKind Kind,
    string Store,
    string Bucket,
    string Key,
    string VersionId,
    long Sequence,
    long Size,
    string ETag,
    DateTimeOffset Time);
