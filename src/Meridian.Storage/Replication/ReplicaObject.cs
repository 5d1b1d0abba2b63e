using Meridian.Storage.Store;

namespace Meridian.Storage.Replication;

/// <summary>The source version a destination copies (metadata only; the body is a separate stream).</summary>
internal sealed record ReplicaObject(ObjectVersion Version)
{
    public string Key => Version.Key;
}
