namespace Meridian.Storage.Events;

public enum ObjectEventKind
{
    /// <summary>PUT, CopyObject or CompleteMultipartUpload made a new (current) version.</summary>
    ObjectCreated,
    /// <summary>A DELETE without version id on a versioned bucket: a delete marker is now current.</summary>
    DeleteMarkerCreated,
    /// <summary>A DELETE with a version id removed that version for good (S3 CRR does not replicate these).</summary>
    VersionDeleted,
    /// <summary>A DELETE on an unversioned bucket removed the object.</summary>
    ObjectRemoved,
    /// <summary>Tags of an existing version changed (PutObjectTagging / DeleteObjectTagging).</summary>
    TagsChanged,
}
