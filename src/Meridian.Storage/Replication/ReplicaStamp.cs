using System.Globalization;
using Meridian.Storage.Errors;
using Meridian.Storage.Http;
using Meridian.Storage.Store;

namespace Meridian.Storage.Replication;

/// <summary>
/// What a replication write carries so the replica is what S3 makes it: the source's version id and Last-Modified,
/// and replication status REPLICA (which is what stops two-way replication from sending it back). Sent as
/// store-specific headers on an authenticated PUT or DELETE; other S3 endpoints ignore them (their replicas get
/// fresh version ids, as any client write would).
/// </summary>
internal sealed record ReplicaStamp(string VersionId, DateTimeOffset LastModified)
{
    public const string VersionIdHeader = "x-meridian-replica-version-id";
    public const string LastModifiedHeader = "x-meridian-replica-last-modified";
    public const string Status = "REPLICA";

    public static ReplicaStamp? From(S3Request request)
    {
        if (request.Header(VersionIdHeader) is not { } versionId)
        {
            return null;
        }
        if (versionId == VersionIds.Null || !VersionIds.IsWellFormed(versionId) ||
            !DateTimeOffset.TryParse(request.Header(LastModifiedHeader), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var lastModified))
        {
            throw S3Errors.InvalidArgument($"{VersionIdHeader} needs a version id of this store's form and {LastModifiedHeader} an ISO 8601 time");
        }
        if (request.Auth.IsAnonymous)
        {
            throw S3Errors.AccessDenied("replica writes need credentials");
        }
        return new ReplicaStamp(versionId, lastModified);
    }

    /// <summary>The draft as a replica: kept version id (used by the commit when versioning is on) and time.</summary>
    public ObjectVersion Apply(ObjectVersion draft) => draft with { VersionId = VersionId, LastModified = LastModified, ReplicationStatus = Status };

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
