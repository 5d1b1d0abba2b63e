namespace Meridian.Storage.Store;

/// <summary>S3 bucket versioning states: never enabled, enabled, or suspended (never back to unversioned).</summary>
internal enum VersioningStatus
{
    Unversioned,
    Enabled,
    Suspended,
}
