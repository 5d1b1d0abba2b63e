namespace Meridian.Storage.Replication;

/// <summary>Progress of <c>meridian storage replicate-existing</c>: keys examined, candidates handled so far, items queued.</summary>
public sealed record ReplicateExistingResult(string Bucket, int KeysExamined, int Processed, int Queued);
